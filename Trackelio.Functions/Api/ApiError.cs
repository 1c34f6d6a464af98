using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Trackelio.Functions.Api;

/// <summary>
/// A failure in the envelope: <c>{ data: null, meta: { request_id, error: { code, message, details } } }</c>.
/// Every error the service answers is one of these; none carries a stack trace or storage detail.
/// </summary>
public sealed class ApiError : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private ApiError(int statusCode, string code, string message, IReadOnlyList<FieldError>? details = null, TimeSpan? retryAfter = null)
    {
        StatusCode = statusCode;
        Code = code;
        Message = message;
        Details = details;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }
    int? IStatusCodeHttpResult.StatusCode => StatusCode;
    public string Code { get; }
    public string Message { get; }
    public IReadOnlyList<FieldError>? Details { get; }
    public TimeSpan? RetryAfter { get; }
    public Dictionary<string, object?>? Extra { get; private init; }

    /// <summary>The same error, carrying a fact beside its message (<c>{ "code", "message", "next_eligible_at": … }</c>).</summary>
    public ApiError With(string name, object? value) =>
        new(StatusCode, Code, Message, Details, RetryAfter) { Extra = new Dictionary<string, object?>(Extra ?? []) { [name] = value } };

    public static ApiError Validation(IReadOnlyList<FieldError> details) =>
        new(400, "validation_failed", details.Count == 1 ? $"{details[0].Field} {details[0].Issue}." : $"{details.Count} fields are invalid.", details);

    public static ApiError BadRequest(string code, string message) => new(400, code, message);

    public static ApiError Unauthorized(string code, string message) => new(401, code, message);

    public static ApiError Forbidden(string code, string message) => new(403, code, message);

    public static ApiError NotFound(string message = "The resource does not exist.") => new(404, "not_found", message);

    public static ApiError MethodNotAllowed() => new(405, "method_not_allowed", "The method is not allowed on this resource.");

    public static ApiError Conflict(string code, string message) => new(409, code, message);

    public static ApiError TooLarge(string message) => new(413, "payload_too_large", message);

    public static ApiError UnsupportedMediaType(string message) => new(415, "unsupported_media_type", message);

    public static ApiError TooManyRequests(TimeSpan retryAfter) =>
        new(429, "rate_limited", "Too many requests; try again after the time in Retry-After.", retryAfter: retryAfter);

    /// <summary>A limit of its own (not the key's request rate), with what it limits in its message.</summary>
    public static ApiError TooManyRequests(string code, string message, TimeSpan retryAfter) =>
        new(429, code, message, retryAfter: retryAfter);

    /// <summary>
    /// Storage could not be reached (or not within the request's deadline). A read changed
    /// nothing; a write may or may not have been applied — the honest answer is that its outcome
    /// is unknown, and repeating it with the same <c>Idempotency-Key</c> (or <c>client_id</c> /
    /// <c>client_message_id</c>) settles it without a duplicate.
    /// </summary>
    public static ApiError StorageUnavailable(bool safeMethod = true) => safeMethod
        ? new(503, "storage_unavailable", "Storage is unavailable; nothing was changed. Try again shortly.", retryAfter: TimeSpan.FromSeconds(5))
        : new(503, "storage_unavailable",
            "Storage is unavailable; the outcome of this request is unknown. Repeat it with the same Idempotency-Key after Retry-After: it is then applied exactly once.",
            retryAfter: TimeSpan.FromSeconds(5));

    /// <summary>This instance holds as many request bodies as it may; nothing was read or accepted.</summary>
    public static ApiError ServerBusy(TimeSpan retryAfter) =>
        new(503, "server_busy", "The server is busy; the request was not read. Try again after the time in Retry-After.", retryAfter: retryAfter);

    /// <summary>The request body stopped arriving; nothing was accepted.</summary>
    public static ApiError BodyTimeout() => new(408, "request_timeout", "The request body stopped arriving; send it again.");

    public static ApiError Internal() =>
        new(500, "internal_error", "Something went wrong on our side. Quote the request id when you contact support.");

    public static ApiError FromStatus(int statusCode) => statusCode switch
    {
        400 => BadRequest("bad_request", "The request is malformed."),
        404 => NotFound(),
        405 => MethodNotAllowed(),
        413 => TooLarge("The request body is too large."),
        415 => UnsupportedMediaType("The content type is not supported."),
        >= 500 => Internal(),
        _ => new ApiError(statusCode, "error", "The request failed."),
    };

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var meta = new Meta { RequestId = httpContext.TraceIdentifier, Error = new ErrorBody(Code, Message, Details) { Extra = Extra } };
        return response.WriteAsJsonAsync(new Envelope<object?>(null, meta), TrackelioJson.Options, "application/json; charset=utf-8");
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(Envelope<object>), ["application/json"]));
}
