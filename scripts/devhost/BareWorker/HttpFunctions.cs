using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.BareWorker;

public sealed class HttpFunctions
{
    // Fixed bytes and a fixed ETag: the least work an answer can be, so the bench measures the host path.
    private static readonly byte[] Config = Encoding.UTF8.GetBytes("""{"theme":"light","position":"bottom-right","version":1}""");
    private const string ConfigETag = "\"bare-config-1\"";

    [Function("WidgetConfig")]
    public IResult WidgetConfig([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/widget/config")] HttpRequest request)
    {
        if (request.Headers.IfNoneMatch.Contains(ConfigETag))
        {
            request.HttpContext.Response.Headers.ETag = ConfigETag;
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        request.HttpContext.Response.Headers.ETag = ConfigETag;
        return Results.Bytes(Config, "application/json");
    }

    /// <summary>Echoes what reached the worker; the body is counted while it streams, never held.</summary>
    [Function("Echo")]
    public async Task<IResult> Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "v1/echo/{id}")] HttpRequest request, string id)
    {
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            length += read;
        }
        return Results.Json(new
        {
            id,
            query = request.Query["q"].ToString(),
            header = request.Headers["x-echo"].ToString(),
            invocationId = request.Headers["x-ms-invocation-id"].ToString(),
            // After the worker's UseForwardedHeaders: the host's X-Forwarded-Host, as the client addressed it.
            host = request.Host.Value,
            bodyLength = length,
        });
    }

    /// <summary>Throws: what the client sees then is the worker's behaviour the app's error middleware must cover.</summary>
    [Function("Throw")]
    public IActionResult Throw([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/throw")] HttpRequest request)
        => throw new InvalidOperationException("bare worker throws on purpose");
}
