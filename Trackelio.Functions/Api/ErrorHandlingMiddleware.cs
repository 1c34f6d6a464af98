using Azure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Api;

/// <summary>
/// Turns what escapes a handler into the error envelope, in this one place for every endpoint:
/// a failure the client caused (a body cut short or malformed at the transport, a query so
/// large that storage refuses it, a change that lost every optimistic-concurrency race) is a
/// 4xx; storage that cannot be reached or missed the request's deadline is 503 with
/// <c>Retry-After</c>; anything else is a logged 500 with no detail.
/// </summary>
public sealed class ErrorHandlingMiddleware(ILogger<ErrorHandlingMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!http.Response.HasStarted)
        {
            if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
            {
                return; // The caller went away; there is nobody to answer.
            }

            // The worker would answer an exception that escapes a function as an empty 200 (its
            // ASP.NET Core integration completes the request either way): the envelope is written here.
            var error = Classify(Unwrap(exception), HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method), HasBody(http.Request));
            if (error.StatusCode >= 500)
            {
                logger.LogError(exception, "Request {RequestId} {Method} {Path} failed: {Code}", http.TraceIdentifier,
                    http.Request.Method, http.Request.Path, error.Code);
            }
            http.Response.Clear(); // also drops headers the handler set: the request id goes back on
            http.Response.Headers[RequestIdMiddleware.HeaderName] = http.TraceIdentifier;
            context.Answer(error);
        }
    }

    /// <summary>The worker reports a function's failure to bind or run wrapped in its own exceptions; what happened is inside.</summary>
    private static Exception Unwrap(Exception exception) =>
        exception is FunctionInputConverterException or System.Reflection.TargetInvocationException
            && exception.InnerException is { } inner ? Unwrap(inner) : exception;

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
