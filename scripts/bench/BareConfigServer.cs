using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Trackelio.Bench;

/// <summary>
/// The yardstick for <c>GET /v1/widget/config</c>: a bare Kestrel endpoint on the same path that
/// serves the very bytes and headers the app serves (body, ETag, Cache-Control, Vary), and 304 on a
/// matching If-None-Match — no key check, no CORS, no envelope building, no cache lookup.
/// Run as its own process: <c>Trackelio.Bench.dll bare-config PORT BODY_FILE ETAG</c>.
/// </summary>
internal static class BareConfigServer
{
    public static async Task RunAsync(string[] args)
    {
        var (port, body, etag) = (args[1], await File.ReadAllBytesAsync(args[2]), args[3]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/v1/widget/config", (HttpContext http) =>
        {
            var headers = http.Response.Headers;
            headers.ETag = etag;
            headers.CacheControl = "public, max-age=5";
            headers.Vary = "Origin, X-Project-Key";
            if (http.Request.Headers.IfNoneMatch == etag)
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = body.Length;
            return http.Response.Body.WriteAsync(body).AsTask();
        });
        await app.RunAsync();
    }
}
