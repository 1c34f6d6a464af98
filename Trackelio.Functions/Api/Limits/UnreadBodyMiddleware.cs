using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Api.Limits;

/// <summary>
/// A request answered before its body was read (401, 413 for a declared length over the limit, 503
/// for a full body budget, a function that takes no body, …) has the rest of its body read and
/// dropped before the answer goes out.
/// Behind the Functions host the body is still on its way: the host streams it to the worker, and
/// an answer that comes while it is still sending — or a worker that closes the connection instead
/// — makes the host answer 502 in place of ours (YARP reports the request body's destination gone).
/// Nothing of the body is kept (one 16 KiB buffer), a body that goes silent for
/// <see cref="RequestLimitsOptions.BodyIdleTimeout"/> is abandoned, and the host admits at most 100 MiB.
/// </summary>
public sealed class UnreadBodyMiddleware(IOptions<RequestLimitsOptions> options, ILogger<UnreadBodyMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);

        // Whatever the answer (a refusal, or a function that had no use for the body), what is left of
        // the body is read before the answer goes out; a body read to its end costs one empty read.
        var http = context.Http();
        if (!MayHaveUnreadBody(http) || http.Response.HasStarted)
        {
            return;
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null; // read to the end what the host sends; it is dropped as it comes
        }
        await DrainAsync(http);
    }

    private static bool MayHaveUnreadBody(HttpContext http) =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false } && http.Request.ContentLength is not 0;

    private async Task DrainAsync(HttpContext http)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
                idle.CancelAfter(options.Value.BodyIdleTimeout);
                if (await http.Request.Body.ReadAsync(buffer, idle.Token) == 0)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException or InvalidOperationException)
        {
            logger.LogDebug(ex, "Stopped draining the unread body of {Method} {Path}", http.Request.Method, http.Request.Path);
        }
    }
}
