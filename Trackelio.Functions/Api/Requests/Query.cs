using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// A handler parameter holding the request's query string as a <typeparamref name="T"/>, read and
/// checked by <see cref="RequestValidationMiddleware"/> with the body (so bad query values and bad body
/// fields are answered together, after authentication). It declares <typeparamref name="T"/>'s
/// parameters for the OpenAPI document.
/// </summary>
public sealed class Query<T> : IBindableFromHttpContext<Query<T>>, IEndpointParameterMetadataProvider, IValidatedRequest
    where T : class, IQueryRequest<T>
{
    private T? _value;

    /// <summary>The valid record. Only a function behind <see cref="RequestValidationMiddleware"/> sees one.</summary>
    public T Value => _value ?? throw new InvalidOperationException(
        $"The query {typeof(T).Name} was not read: RequestValidationMiddleware must run for the function (Program.cs).");

    public static ValueTask<Query<T>?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<Query<T>?>(new Query<T>());

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder)
    {
        foreach (var declared in T.Parameters)
        {
            builder.Metadata.Add(declared);
        }
    }

    ValueTask<ApiError?> IValidatedRequest.ValidateAsync(HttpContext http, List<FieldError> errors)
    {
        var fields = new FieldReader();
        _value = T.Read(new QueryReader(http.Request, T.Parameters), fields);
        if (fields.HasErrors)
        {
            _value = null;
            errors.AddRange(fields.Errors);
        }
        else if (_value is null)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.Read returned null without a field error.");
        }
        return ValueTask.FromResult<ApiError?>(null);
    }
}
