using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
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
public sealed class ProjectKeyMiddleware : IFunctionsWorkerMiddleware
{
    public const string HeaderName = "X-Project-Key";
    private const int MaxKeyLength = 128;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        var origin = WidgetCors.Origin(http.Request);
        var key = ReadKey(http.Request);
        if (string.IsNullOrEmpty(key))
        {
            GrantErrorToAnyOrigin(http, origin);
            context.Answer(ApiError.Unauthorized("missing_project_key", $"Send the project key in the {HeaderName} header."));
            return;
        }

        // A key that cannot be one is refused without asking storage (or filling the cache).
        var resolved = LooksLikeProjectKey(key)
            ? await http.RequestServices.GetRequiredService<WidgetDirectory>().ResolveAsync(key, http.RequestAborted)
            : null;
        if (resolved is null)
        {
            GrantErrorToAnyOrigin(http, origin);
            context.Answer(ApiError.Unauthorized("invalid_project_key", "The project key is unknown, revoked or expired."));
            return;
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
                context.Answer(ApiError.Forbidden("origin_not_allowed", $"The origin {origin} is not allowed to use this widget."));
            return;
            }
        }

        if (write && !resolved.Live)
        {
            context.Answer(ApiError.Forbidden("widget_paused", "The widget is paused and does not take submissions right now."));
            return;
        }

        http.RequestServices.GetRequiredService<CurrentWidget>().Set(resolved);
        await next(context);
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

/// <summary>
/// Marks the widget API's functions: each needs a valid project key, an allowed origin and (for
/// writes) a live widget (<see cref="ProjectKeyMiddleware"/>), and answers its CORS preflights.
/// The key may also come as <c>?key=</c> on GET and HEAD, declared here for the document.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ProjectKeyAuthAttribute : Attribute;
