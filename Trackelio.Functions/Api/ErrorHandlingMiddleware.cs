using Azure;

namespace Trackelio.Functions.Api;

/// <summary>
/// Turns what escapes a handler into the error envelope: storage that cannot be reached
/// becomes 503 with <c>Retry-After</c> (the request was not accepted), a malformed request
/// the framework rejected keeps its 4xx, anything else is a logged 500 with no detail.
/// </summary>
public sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
            {
                return; // The caller went away; there is nobody to answer.
            }

            var error = Classify(exception);
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

    internal static ApiError Classify(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode == 413
            ? ApiError.TooLarge("The request body is larger than this endpoint accepts.")
            : ApiError.BadRequest("bad_request", "The request is malformed."),
        _ when IsStorageUnavailable(exception) => ApiError.StorageUnavailable(),
        _ => ApiError.Internal(),
    };

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
