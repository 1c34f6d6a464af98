using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Config;

/// <summary><c>GET /v1/widget/config</c>: the widget's whole configuration, served from memory.</summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class WidgetConfigEndpoint
{
    /// <summary>
    /// Browsers and CDNs may reuse a config for this long; with the server's own cache
    /// (<see cref="WidgetDirectoryOptions.CacheDuration"/>) a change is visible within 15 s.
    /// </summary>
    public const int MaxAgeSeconds = 5;

    // The hot path allocates nothing it can avoid: constant header values, one cached 304 result,
    // and If-None-Match compared as a string before it is ever parsed.
    private static readonly Microsoft.Extensions.Primitives.StringValues CacheControl = $"public, max-age={MaxAgeSeconds}";
    private static readonly Microsoft.Extensions.Primitives.StringValues Vary = "Origin, X-Project-Key";
    private static readonly IResult NotModified = TypedResults.StatusCode(StatusCodes.Status304NotModified);

    [Function("WidgetConfig")]
    [OwnStorageDeadline] // its one storage wait, the key's resolution, is bounded there
    [EndpointSummary("Fetch the widget configuration")]
    [ProducesResponseType<Envelope<PublicWidgetConfig>>(StatusCodes.Status200OK)]
    [ProducesResponseType(StatusCodes.Status304NotModified)]
    public static IResult GetConfig([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "v1/widget/config")] HttpRequest req, CurrentWidget current, HttpContext http)
    {
        var resolved = current.Resolved;
        var headers = http.Response.Headers;
        headers.ETag = resolved.ConfigETag;
        headers.CacheControl = CacheControl;
        headers.Vary = Vary;

        return IfNoneMatchHits(http.Request, resolved.ConfigETag) ? NotModified : resolved.ConfigResult;
    }

    private static bool IfNoneMatchHits(HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }
        if (header.Count == 1 && string.Equals(header[0], etag, StringComparison.Ordinal))
        {
            return true; // what a browser sends back: the ETag it was given, as is
        }
        var ifNoneMatch = request.GetTypedHeaders().IfNoneMatch;
        return ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(etag), useStrongComparison: false));
    }
}
