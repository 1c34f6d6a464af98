using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Api;

/// <summary>
/// Gives a function the arguments a minimal-API handler would get and the worker does not bind:
/// the <see cref="HttpContext"/> and its response, a request record (<see cref="Body{T}"/>, <see cref="Query{T}"/>,
/// read and checked by <see cref="Requests.RequestValidationMiddleware"/> before the function
/// runs) and any service the app registers (resolved from the invocation's scope, which is also
/// the request's <c>RequestServices</c>). Everything else (route values, triggers, the
/// cancellation token) is left to the worker's own converters.
/// </summary>
public sealed class InvocationArgumentConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        var type = context.TargetType;
        if (context.Source is not null || type == typeof(string) || (type.IsPrimitive && type != typeof(CancellationToken)))
        {
            return new(ConversionResult.Unhandled());
        }
        if (type == typeof(CancellationToken) && context.FunctionContext.GetHttpContext() is { } request)
        {
            // As a minimal-API handler's: the request's token, which also fires at its storage deadline (StorageDeadlineMiddleware).
            return new(ConversionResult.Success(request.RequestAborted));
        }
        if (type == typeof(HttpContext) || type == typeof(HttpResponse))
        {
            return new(context.FunctionContext.GetHttpContext() is { } http
                ? ConversionResult.Success(type == typeof(HttpContext) ? http : http.Response)
                : ConversionResult.Unhandled());
        }
        if (typeof(IValidatedRequest).IsAssignableFrom(type))
        {
            return new(ConversionResult.Success(Activator.CreateInstance(type)));
        }
        var services = context.FunctionContext.InstanceServices;
        return new(services.GetRequiredService<IServiceProviderIsService>().IsService(type)
            ? ConversionResult.Success(services.GetRequiredService(type))
            : ConversionResult.Unhandled());
    }
}
