namespace Trackelio.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>The port <c>func start</c> uses, so widget snippets work the same standalone.</summary>
    public const string StandaloneUrl = "http://localhost:7071";

    /// <summary>Set by the Functions host for a custom handler: the port to listen on, and the sign that the app runs under the host.</summary>
    public const string HostPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>
    /// Under the Functions host (custom handler) the app listens on loopback at
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; standalone it listens where <c>urls</c> says, or on
    /// <see cref="StandaloneUrl"/>.
    /// </summary>
    public static WebApplicationBuilder UseFunctionsHostPort(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration[HostPortSetting];
        if (!string.IsNullOrEmpty(port))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(StandaloneUrl);
        }
        return builder;
    }

    /// <summary>
    /// <c>GET /</c> (and <c>HEAD /</c>): answers at once, ahead of routing. The Functions host polls
    /// <c>http://127.0.0.1:{port}/</c> every 25 ms after starting the custom handler and sends no work until
    /// an HTTP answer comes (any status; it gives up after 30 s): <c>DefaultHttpWorkerService.IsWorkerReady</c>.
    /// Answering before routing keeps the probe from paying for building the route table. It is not a
    /// function of its own. Call it first, then <c>UseRouting</c>.
    /// </summary>
    public static IApplicationBuilder UseHostProbe(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.Path.Value is not "/" || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(ProbeAnswer).AsTask();
        });

    private static readonly byte[] ProbeAnswer = """{"status":"ok","service":"trackelio"}"""u8.ToArray();
}

/// <summary>Marks an endpoint that gets no <c>function.json</c> of its own.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NotAFunctionAttribute : Attribute;
