using Microsoft.Net.Http.Headers;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Config;

/// <summary><c>GET /v1/widget/config</c>: the widget's whole configuration, served from memory.</summary>
public static class WidgetConfigEndpoint
{
    /// <summary>
    /// Browsers and CDNs may reuse a config for this long; with the server's own cache
    /// (<see cref="WidgetDirectoryOptions.CacheDuration"/>) a change is visible within 15 s.
    /// </summary>
    public const int MaxAgeSeconds = 5;

    public static RouteHandlerBuilder MapWidgetConfig(this IEndpointRouteBuilder widget) =>
        widget.MapGet("/config", GetConfig)
            .WithName("WidgetConfig")
            .WithSummary("Fetch the widget configuration")
            .Produces<Envelope<PublicWidgetConfig>>()
            .Produces(StatusCodes.Status304NotModified);

    public static IResult GetConfig(CurrentWidget current, HttpContext http)
    {
        var resolved = current.Resolved;
        var headers = http.Response.Headers;
        headers.ETag = resolved.ConfigETag;
        headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        headers.Vary = "Origin, X-Project-Key";

        if (IfNoneMatchHits(http.Request, resolved.ConfigETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return new PreSerializedData(resolved.ConfigJson);
    }

    private static bool IfNoneMatchHits(HttpRequest request, string etag)
    {
        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
    }
}
