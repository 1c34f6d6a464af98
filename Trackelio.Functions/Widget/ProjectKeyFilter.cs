using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget;

/// <summary>
/// Checks the project key of a widget API request: <c>X-Project-Key</c>, or <c>?key=</c> on
/// GET (so the widget's hot GETs are CORS simple requests). No key: 401
/// <c>missing_project_key</c>; unknown, revoked or retired: 401 <c>invalid_project_key</c>.
/// </summary>
public sealed class ProjectKeyFilter : IEndpointFilter
{
    public const string HeaderName = "X-Project-Key";
    private const int MaxKeyLength = 128;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = ReadKey(http.Request);
        if (string.IsNullOrEmpty(key))
        {
            return ApiError.Unauthorized("missing_project_key", $"Send the project key in the {HeaderName} header.");
        }

        // A key that cannot be one is refused without asking storage (or filling the cache).
        var resolved = LooksLikeProjectKey(key)
            ? await http.RequestServices.GetRequiredService<WidgetDirectory>().ResolveAsync(key, http.RequestAborted)
            : null;
        if (resolved is null)
        {
            return ApiError.Unauthorized("invalid_project_key", "The project key is unknown, revoked or expired.");
        }

        http.RequestServices.GetRequiredService<CurrentWidget>().Set(resolved);
        return await next(context);
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
    /// <summary>Every endpoint of the group needs a valid project key.</summary>
    public static TBuilder RequireProjectKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new ProjectKeyFilter());
        return builder;
    }
}
