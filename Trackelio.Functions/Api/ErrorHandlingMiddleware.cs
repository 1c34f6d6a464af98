using Azure;

namespace Trackelio.Functions.Api;

/// <summary>
/// Turns what escapes a handler into the error envelope, in this one place for every endpoint:
/// a failure the client caused (a body cut short or malformed at the transport, a query so
/// large that storage refuses it, a change that lost every optimistic-concurrency race) is a
/// 4xx; storage that cannot be reached or missed the request's deadline is 503 with
/// <c>Retry-After</c>; anything else is a logged 500 with no detail. An error status answered
/// with nothing written (routing's 404 and 405) gets the envelope too.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
            if (IsEmptyError(context.Response))
            {
                // Routing's own 404/405 (and any other empty error) get the envelope too.
                await ApiError.FromStatus(context.Response.StatusCode).ExecuteAsync(context);
            }
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                return; // The caller went away; there is nobody to answer.
            }

            var error = Classify(exception, HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method), HasBody(context.Request));
            if (error.StatusCode >= 500)
            {
                logger.LogError(exception, "Request {RequestId} {Method} {Path} failed: {Code}", context.TraceIdentifier,
                    context.Request.Method, context.Request.Path, error.Code);
            }
            context.Response.Clear(); // also drops headers the handler set: the request id goes back on
            context.Response.Headers[RequestIdMiddleware.HeaderName] = context.TraceIdentifier;
            await error.ExecuteAsync(context);
        }
    }

    internal static ApiError Classify(Exception exception, bool safeMethod = true, bool hasBody = false) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode == 413
            ? ApiError.TooLarge("The request body is larger than this endpoint accepts.")
            : ApiError.BadRequest("bad_request", "The request is malformed."),
        // The request body ended early or broke its own framing (multipart without its closing
        // boundary, a file cut mid-way, a chunk size that overflows): the client's doing.
        IOException or InvalidDataException when hasBody =>
            ApiError.BadRequest("bad_request", "The request body ended early or is malformed."),
        // Storage refused a query because of its size: the client's filters made it so.
        RequestFailedException { Status: 414 or 431 } => ApiError.BadRequest("query_too_large", "The query has too many or too long filter values."),
        // Every optimistic-concurrency retry lost to other writers: nothing was changed.
        RequestFailedException { Status: 412 } => ApiError.Conflict("conflict", "The resource changed while this request was applied; nothing was changed. Try again."),
        _ when IsStorageUnavailable(exception) => ApiError.StorageUnavailable(safeMethod),
        _ => ApiError.Internal(),
    };

    /// <summary>An error status with nothing written yet: what the framework's status-code pages would fill in.</summary>
    private static bool IsEmptyError(HttpResponse response) =>
        response.StatusCode is >= 400 and < 600 && !response.HasStarted && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType);

    private static bool HasBody(HttpRequest request) => request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;

    /// <summary>Storage could not be reached, timed out, or answered that it is busy or broken.</summary>
    internal static bool IsStorageUnavailable(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        HttpRequestException => true,
        TimeoutException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStorageUnavailable),
        _ => exception.InnerException is not null && IsStorageUnavailable(exception.InnerException),
    };
}
