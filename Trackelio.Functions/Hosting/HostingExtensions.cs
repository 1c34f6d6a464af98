namespace Trackelio.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>The port <c>func start</c> uses, so widget snippets work the same standalone.</summary>
    public const string StandaloneUrl = "http://localhost:7071";

    /// <summary>
    /// Under the Functions host (custom handler) the app listens on loopback at
    /// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>; standalone it listens where <c>urls</c> says, or on
    /// <see cref="StandaloneUrl"/>.
    /// </summary>
    public static WebApplicationBuilder UseFunctionsHostPort(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"];
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
    /// <c>GET /</c>: answers at once. The Functions host waits for the custom handler to answer
    /// before it sends work; it is not a function of its own.
    /// </summary>
    public static IEndpointConventionBuilder MapHostProbe(this IEndpointRouteBuilder app) =>
        app.MapGet("/", () => Results.Json(new { status = "ok", service = "trackelio" }))
            .WithName("HostProbe")
            .WithMetadata(new NotAFunctionAttribute())
            .ExcludeFromDescription();
}

/// <summary>Marks an endpoint that gets no <c>function.json</c> of its own.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NotAFunctionAttribute : Attribute;
