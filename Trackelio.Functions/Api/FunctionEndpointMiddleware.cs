using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Api;

/// <summary>
/// First for every HTTP invocation: the request's endpoint becomes the function itself, its
/// attributes as metadata (<see cref="AppFunction.Endpoint"/>), so that what reads an endpoint's
/// metadata (the role a function needs, its body limits, its storage deadline, its rate-limit
/// bucket) reads the function's declarations. The worker's own endpoint for the route carries
/// only the route.
/// </summary>
public sealed class FunctionEndpointMiddleware : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        context.Http().SetEndpoint(FunctionCatalog.Of(context).Endpoint);
        return next(context);
    }
}
