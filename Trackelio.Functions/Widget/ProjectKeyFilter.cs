using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Widget.Cors;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget;

/// <summary>
/// Opens a widget API request: checks the project key (<c>X-Project-Key</c>, or <c>?key=</c>
/// on GET so the widget's hot GETs are CORS simple requests), then the request's origin
/// against the widget's allowed origins, then — for writes — that the widget is live.
/// <list type="bullet">
/// <item>No key: 401 <c>missing_project_key</c>; unknown, revoked or retired: 401 <c>invalid_project_key</c>.</item>
/// <item>A write from an origin the widget does not allow: 403 <c>origin_not_allowed</c>; a read is served without a CORS grant.</item>
/// <item>A write to a paused or switched-off widget: 403 <c>widget_paused</c>.</item>
/// </list>
/// </summary>
public sealed class ProjectKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Project-Key";
    private const int MaxKeyLength = 128;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var origin = WidgetCors.Origin(http.Request);
        var key = ReadKey(http.Request);
        if (string.IsNullOrEmpty(key))
        {
            GrantErrorToAnyOrigin(http, origin);
            return ApiError.Unauthorized("missing_project_key", $"Send the project key in the {HeaderName} header.");
        }

        // A key that cannot be one is refused without asking storage (or filling the cache).
        var resolved = LooksLikeProjectKey(key)
            ? await http.RequestServices.GetRequiredService<WidgetDirectory>().ResolveAsync(key, http.RequestAborted)
            : null;
        if (resolved is null)
        {
            GrantErrorToAnyOrigin(http, origin);
            return ApiError.Unauthorized("invalid_project_key", "The project key is unknown, revoked or expired.");
        }

        var write = !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method);
        if (origin is not null)
        {
            WidgetCors.AddVaryOrigin(http.Response.Headers);
            if (WidgetCors.Allows(resolved.Widget, origin))
            {
                WidgetCors.Grant(http.Response, origin);
            }
            else if (write)
            {
                return ApiError.Forbidden("origin_not_allowed", $"The origin {origin} is not allowed to use this widget.");
            }
        }

        if (write && !resolved.Live)
        {
            return ApiError.Forbidden("widget_paused", "The widget is paused and does not take submissions right now.");
        }

        http.RequestServices.GetRequiredService<CurrentWidget>().Set(resolved);
        return await next(context);
    }

    /// <summary>
    /// A key problem is answered readably to any origin, so the widget's developer sees the
    /// error in the console: it reveals nothing and no widget is known to check against.
    /// </summary>
    private static void GrantErrorToAnyOrigin(HttpContext http, string? origin)
    {
        if (origin is not null)
        {
            WidgetCors.Grant(http.Response, origin);
        }
    }

    internal static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (!string.IsNullOrEmpty(header))
        {
            return header.Trim();
        }
        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? request.Query["key"].ToString() : null;
    }

    internal static bool LooksLikeProjectKey(string key) =>
        key.Length <= MaxKeyLength
        && key.StartsWith(ProjectKeys.Prefix, StringComparison.Ordinal)
        && key.AsSpan(ProjectKeys.Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;
}

public static class ProjectKeyFilterExtensions
{
    /// <summary>Every endpoint of the group needs a valid project key, an allowed origin and (for writes) a live widget.</summary>
    public static TBuilder RequireProjectKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new ProjectKeyFilter());
        // Read here, not by a request record: declared here too, for the document.
        return builder.WithMetadata(new QueryParameter("key", "The project key, for a GET that sends no X-Project-Key header (a CORS simple request).")
        {
            Methods = [HttpMethods.Get, HttpMethods.Head],
        });
    }
}
