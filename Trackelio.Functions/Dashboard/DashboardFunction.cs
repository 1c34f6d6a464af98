using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace Trackelio.Functions.Dashboard;

/// <summary>
/// <c>GET /app/…</c>: the team's dashboard, a single-page app that talks only to the public REST API (sign-in by
/// mailed link or a pasted key; the key lives in <c>sessionStorage</c>). <c>app.js</c>, <c>app.css</c> and
/// <c>chunks/…</c> (code loaded when needed, named by its hash: cached for good) are served as files; every other path
/// under <c>/app/</c> is the page (the app reads the path). Strict CSP: only this
/// origin's script and style, no inline script, no third-party request. Cached with strong ETags, revalidated on
/// every load (a 304 when unchanged), so a new build reaches every open dashboard at its next load. The settings frame
/// one page of it, the widget preview (<see cref="WidgetPreviewPage"/>, with its own policy): hence <c>frame-src 'self'</c>.
/// </summary>
public static class DashboardFunction
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
        + "frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    [Function("Dashboard")]
    [ExcludeFromDescription]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "app/{*path}")] HttpRequest req, HttpContext http, string? path)
    {
        // The widget preview is the one page the dashboard frames (its settings' live preview); nothing else may be framed.
        var preview = path == WidgetPreviewPage.Path;
        if (!preview && DashboardFiles.IsImmutable(path ?? "") && DashboardFiles.Get(path!) is null)
        {
            // A chunk of another build (a page opened before a deploy asks for it): a plain 404, not the page as script.
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.NotFound();
        }
        var file = preview ? WidgetPreviewPage.File : DashboardFiles.Get(path ?? "") ?? DashboardFiles.Index;
        var headers = http.Response.Headers;
        headers.ETag = file.ETag;
        headers.CacheControl = !preview && DashboardFiles.IsImmutable(path ?? "") && DashboardFiles.Get(path!) is not null
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        headers.ContentSecurityPolicy = preview ? WidgetPreviewPage.ContentSecurityPolicy : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Frame-Options"] = preview ? "SAMEORIGIN" : "DENY";
        headers.Vary = "Accept-Encoding";
        if (http.Request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(file.ETag), useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        if (http.Request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase) && e.Quality is not 0))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(file.Gzip, file.ContentType);
        }
        return TypedResults.Bytes(file.Raw, file.ContentType);
    }
}
