using Trackelio.Functions.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// The one place a request's query and body are read and checked: every <see cref="Query{T}"/>
/// and <see cref="Body{T}"/> argument of the function, in order. Bad fields of all of them are
/// answered together (400 <c>validation_failed</c>); a body that cannot be read is answered as
/// <see cref="JsonBody"/> says (413, 415, 400 <c>invalid_json</c>). Registered after
/// authentication, rate limits and module checks, so it runs after them. It binds the function's
/// arguments early (the worker keeps them for the call), which is how it sees the records.
/// </summary>
public sealed class RequestValidationMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var binding = context.Features.Get<Microsoft.Azure.Functions.Worker.Context.Features.IFunctionInputBindingFeature>()
            ?? throw new InvalidOperationException("The worker's input binding feature is missing.");
        var arguments = await binding.BindFunctionInputAsync(context);

        List<FieldError>? errors = null;
        foreach (var argument in arguments.Values)
        {
            if (argument is IValidatedRequest request)
            {
                errors ??= [];
                if (await request.ValidateAsync(context.Http(), errors) is { } refused)
                {
                    context.Answer(refused);
                    return;
                }
            }
        }
        if (errors is { Count: > 0 })
        {
            context.Answer(ApiError.Validation(errors));
            return;
        }
        await next(context);
    }

    /// <summary>Whether the function takes a request record to check.</summary>
    public static bool Applies(FunctionContext context) => FunctionCatalog.Of(context).ReadsRequestRecords;
}
