using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// A handler parameter holding the request's JSON body as a <typeparamref name="T"/>.
/// <para>
/// Why not a framework's own body binding (the worker's <c>[FromBody]</c>, minimal APIs' inferred
/// JSON): it reads and fails before our checks run, so a bad body would answer 400 before the key's
/// 401/403, and its errors name one field, not every bad one in our envelope. So binding here takes
/// nothing from the request; the body is read and checked by <see cref="RequestValidationMiddleware"/>,
/// registered after authentication, limits and module checks: 401/403/429 first, then 413/415/400
/// exactly as <see cref="JsonBody"/> answers them, then the function with a valid record.
/// </para>
/// The parameter also declares the body (<typeparamref name="T"/> as <c>application/json</c>) for
/// the OpenAPI document.
/// </summary>
public sealed class Body<T> : IBindableFromHttpContext<Body<T>>, IEndpointParameterMetadataProvider, IValidatedRequest
    where T : class, IJsonRequest<T>
{
    private T? _value;

    /// <summary>The valid record. Only a function behind <see cref="RequestValidationMiddleware"/> sees one.</summary>
    public T Value => _value ?? throw new InvalidOperationException(
        $"The body {typeof(T).Name} was not read: RequestValidationMiddleware must run for the function (Program.cs).");

    public static ValueTask<Body<T>?> BindAsync(HttpContext context, ParameterInfo parameter) => ValueTask.FromResult<Body<T>?>(new Body<T>());

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new JsonBodyMetadata(T.Schema, T.MayBeEmpty));

    async ValueTask<ApiError?> IValidatedRequest.ValidateAsync(HttpContext http, List<FieldError> errors)
    {
        var request = http.Request;
        var empty = T.MayBeEmpty && request.ContentLength is 0 or null && request.ContentType is null;
        var (document, error) = empty
            ? (System.Text.Json.JsonDocument.Parse("{}"), null)
            : await JsonBody.ReadAsync(request, T.MaxBytesFor(http), http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        // The record may keep parts of the body (free-form metadata, answers): the document lives as long as the request.
        http.Response.RegisterForDispose(document!);
        var fields = new FieldReader();
        _value = await T.ReadAsync(document!.RootElement, fields, http);
        if (fields.HasErrors)
        {
            _value = null;
            errors.AddRange(fields.Errors);
        }
        else if (_value is null)
        {
            throw new InvalidOperationException($"{typeof(T).Name}.ReadAsync returned null without a field error.");
        }
        return null;
    }
}

/// <summary>
/// Declares the body's type for the OpenAPI document, and nothing to routing: with no content
/// types listed, routing's content-type check (which would answer 415 before authentication, and
/// refuse the <c>text/plain</c> JSON beacons send) leaves the endpoint alone; <see cref="JsonBody"/>
/// decides what it accepts.
/// </summary>
public sealed record JsonBodyMetadata(Type RequestType, bool IsOptional) : IAcceptsMetadata
{
    IReadOnlyList<string> IAcceptsMetadata.ContentTypes => [];
}
