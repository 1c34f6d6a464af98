namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// The one place a request's query and body are read and checked: every <see cref="Query{T}"/>
/// and <see cref="Body{T}"/> argument of the endpoint, in order. Bad fields of all of them are
/// answered together (400 <c>validation_failed</c>); a body that cannot be read is answered as
/// <see cref="JsonBody"/> says (413, 415, 400 <c>invalid_json</c>). Installed last on a group, so
/// it runs after authentication, rate limits and module checks.
/// </summary>
public sealed class RequestValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        List<FieldError>? errors = null;
        foreach (var argument in context.Arguments)
        {
            if (argument is IValidatedRequest request)
            {
                errors ??= [];
                if (await request.ValidateAsync(context.HttpContext, errors) is { } refused)
                {
                    return refused;
                }
            }
        }
        return errors is { Count: > 0 } ? ApiError.Validation(errors) : await next(context);
    }
}

public static class RequestValidationFilterExtensions
{
    /// <summary>Reads and checks the endpoints' request records; call it after the group's authentication and limits.</summary>
    public static TBuilder ValidateRequests<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new RequestValidationFilter());
        return builder;
    }
}
