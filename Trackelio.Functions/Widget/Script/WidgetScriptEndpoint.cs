using Trackelio.Functions.Api;
using Microsoft.Azure.Functions.Worker;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Trackelio.Functions.Widget.Script;

/// <summary>
/// <c>GET /widget/v1/trackelio.js</c>: the embeddable widget, a dependency-free script
/// (<c>Widget/Script/trackelio.js</c>) that the build minifies and embeds in the assembly. Site owners paste
/// <c>&lt;script src="…/widget/v1/trackelio.js" data-project-key="pk_live_…" async&gt;&lt;/script&gt;</c>;
/// the script finds the API from its own <c>src</c>.
/// </summary>
[Tags("Widget API")]
public static class WidgetScriptEndpoint
{
    public const string Route = "/" + RouteTemplate;
    public const string RouteTemplate = "widget/v1/trackelio.js";

    /// <summary>
    /// A day fresh, then a week of serving the cached copy while it revalidates (a 304 thanks to
    /// the strong ETag): a fix reaches every page within a day, and a page view almost never waits.
    /// </summary>
    public const string CacheControl = "public, max-age=86400, stale-while-revalidate=604800";

    public const string ContentType = "text/javascript; charset=utf-8";

    private static readonly Lazy<WidgetScript> Script = new(WidgetScript.Load);

    /// <summary>The served script's strong ETag: a page of this app that loads it with <c>?v=</c> this gets a new build at once.</summary>
    public static string Version => Script.Value.ETag.Trim('"');

    [Function("WidgetScript")]
    [EndpointSummary("The embeddable widget script")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/javascript")]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = RouteTemplate)] HttpRequest req, HttpContext http)
    {
        var script = Script.Value;
        var headers = http.Response.Headers;
        headers.ETag = script.ETag;
        headers.CacheControl = CacheControl;
        headers.Vary = "Accept-Encoding";
        headers.XContentTypeOptions = "nosniff";
        // Any page may load it, also with crossorigin/SRI or under Cross-Origin-Embedder-Policy.
        headers.AccessControlAllowOrigin = "*";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";

        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(script.ETag), useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var acceptsGzip = http.Request.GetTypedHeaders().AcceptEncoding
            .Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0);
        if (acceptsGzip)
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(script.Gzip, ContentType);
        }
        return TypedResults.Bytes(script.Raw, ContentType);
    }
}

/// <summary>The script's bytes, gzipped once, and its strong ETag (a hash of the bytes, so it changes exactly when they do).</summary>
internal sealed record WidgetScript(byte[] Raw, byte[] Gzip, string ETag)
{
    public const string ResourceName = "widget.trackelio.js";

    public static WidgetScript Load()
    {
        using var stream = typeof(WidgetScript).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The widget script ({ResourceName}) is not embedded in the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var raw = copy.ToArray();

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(raw), 0, 18).Replace('+', '-').Replace('/', '_') + "\"";
        return new WidgetScript(raw, compressed.ToArray(), etag);
    }
}
