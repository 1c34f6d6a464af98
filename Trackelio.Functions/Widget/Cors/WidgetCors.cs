using Microsoft.Extensions.Primitives;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Cors;

/// <summary>
/// CORS for the widget API, answered by the app itself, per widget (the Functions platform's
/// CORS setting must stay empty so these rules govern).
/// <list type="bullet">
/// <item>A request whose <c>Origin</c> is allowed for its widget is granted
/// (<c>Access-Control-Allow-Origin</c> echoes it; <c>Vary: Origin</c>).</item>
/// <item>A disallowed origin gets no grant, so the browser keeps the response from the page,
/// and its writes are refused with 403 <c>origin_not_allowed</c> (the key is public: the origin
/// check is what stops other sites from posting with it).</item>
/// <item>Requests without <c>Origin</c> (servers, curl) are not CORS and are allowed.</item>
/// </list>
/// </summary>
public static class WidgetCors
{
    public const string AllowedMethods = "GET, POST, OPTIONS";
    public const string AllowedHeaders = "X-Project-Key, Content-Type, Idempotency-Key, X-Visitor-Token";
    public const string ExposedHeaders = "ETag, X-Request-Id, Retry-After, Location";
    public const int MaxAgeSeconds = 3600;

    /// <summary>Lets the page read the response.</summary>
    public static void Grant(HttpResponse response, string origin)
    {
        var headers = response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlExposeHeaders = ExposedHeaders;
        AddVaryOrigin(headers);
    }

    public static void AddVaryOrigin(IHeaderDictionary headers)
    {
        var vary = headers.Vary.ToString();
        if (!vary.Contains("Origin", StringComparison.OrdinalIgnoreCase))
        {
            headers.Vary = string.IsNullOrEmpty(vary) ? "Origin" : vary + ", Origin";
        }
    }

    public static string? Origin(HttpRequest request) =>
        request.Headers.Origin is { Count: > 0 } origin && !StringValues.IsNullOrEmpty(origin) ? origin.ToString() : null;

    /// <summary>Whether <paramref name="widget"/> lets <paramref name="origin"/> use it.</summary>
    public static bool Allows(SiteWidget widget, string origin) => OriginMatcher.IsAllowed(origin, widget.AllowedOrigins);

    internal static async Task<bool> PreflightAllowedAsync(HttpContext context, string origin)
    {
        var key = context.Request.Query["key"].ToString();
        if (string.IsNullOrEmpty(key) || !ProjectKeyMiddleware.LooksLikeProjectKey(key))
        {
            return true;
        }
        var resolved = await context.RequestServices.GetRequiredService<WidgetDirectory>().ResolveAsync(key, context.RequestAborted);
        return resolved is null || Allows(resolved.Widget, origin);
    }
}
