using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Api;

/// <summary>Gives every request a <c>req_…</c> id, in <c>X-Request-Id</c> and in the envelope's <c>meta.request_id</c>.</summary>
public sealed class RequestIdMiddleware : IFunctionsWorkerMiddleware
{
    public const string HeaderName = "X-Request-Id";

    public Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        var id = Ids.New(Ids.Request);
        http.TraceIdentifier = id;
        http.Response.Headers[HeaderName] = id;
        return next(context);
    }
}
