using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Auth;

/// <summary>The least role an endpoint needs.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class MinimumRoleAttribute(TeamRole role) : Attribute
{
    public TeamRole Role { get; } = role;
}

/// <summary>
/// Authenticates a management API request (<c>Authorization: Bearer sk_live_…</c>) and checks
/// the member's role: 401 <c>missing_api_key</c> / <c>invalid_api_key</c> / <c>key_revoked</c> /
/// <c>key_expired</c>; 403 <c>insufficient_role</c>. Viewers may only read; what else an endpoint
/// needs it declares with <see cref="MinimumRoleAttribute"/> (default: editor for writes).
/// </summary>
public sealed class ApiKeyMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        var header = http.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            context.Answer(ApiError.Unauthorized("missing_api_key", "Send your secret key as 'Authorization: Bearer sk_live_…'."));
            return;
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            context.Answer(ApiError.Unauthorized("invalid_api_key", "Use the Bearer scheme: 'Authorization: Bearer sk_live_…'."));
            return;
        }

        var (key, rejection) = await http.RequestServices.GetRequiredService<ApiKeyDirectory>()
            .AuthenticateAsync(header["Bearer ".Length..].Trim(), http.RequestAborted);
        if (key is null)
        {
            context.Answer(rejection switch
            {
                KeyRejection.Revoked => ApiError.Unauthorized("key_revoked", "The API key was revoked or rotated out."),
                KeyRejection.Expired => ApiError.Unauthorized("key_expired", "The key expired unused (an API key after 12 months, a sign-in session after 12 hours); create a new one or sign in again."),
                _ => ApiError.Unauthorized("invalid_api_key", "The API key is unknown."),
            });
            return;
        }

        var metadata = http.GetEndpoint()?.Metadata;
        var required = metadata?.GetMetadata<OwnMemberRoleAttribute>() is { } own
            && RouteValue(FunctionCatalog.Get(context.FunctionDefinition.Name).HttpTrigger?.Route, http.Request.Path, "id") == key.Member.Id
            ? own.Role
            : RequiredRole(metadata, http.Request.Method);
        if (key.Member.Role > required)
        {
            context.Answer(ApiError.Forbidden("insufficient_role", $"This needs the {required.ToString().ToLowerInvariant()} role; the key's member is {key.Member.Role.ToString().ToLowerInvariant()}."));
            return;
        }

        http.RequestServices.GetRequiredService<CurrentMember>().Set(key);
        await next(context);
    }

    /// <summary>
    /// The path segment where <paramref name="route"/> has <c>{name}</c> (read from the path itself, not from the
    /// host's binding data, which holds query values too).
    /// </summary>
    public static string? RouteValue(string? route, PathString path, string name)
    {
        var template = (route ?? "").Trim('/').Split('/');
        var segments = (path.Value ?? "").Trim('/').Split('/');
        var at = Array.IndexOf(template, "{" + name + "}");
        return at >= 0 && template.Length == segments.Length ? Uri.UnescapeDataString(segments[at]) : null;
    }

    /// <summary>The least role an endpoint needs: what it declares, else viewer for reads and editor for writes.</summary>
    public static TeamRole RequiredRole(EndpointMetadataCollection? metadata, string method) =>
        metadata?.GetMetadata<MinimumRoleAttribute>()?.Role
        ?? (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? TeamRole.Viewer : TeamRole.Editor);
}

/// <summary>
/// The least role an endpoint about one member (route <c>{id}</c>) needs when that member is the key's own:
/// a member changes their own settings with less than an admin's role.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OwnMemberRoleAttribute(TeamRole role) : Attribute
{
    public TeamRole Role { get; } = role;
}

/// <summary>Marks an endpoint authenticated with a management API key (so tools such as the role table can tell).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ApiKeyAuthAttribute : Attribute;

/// <summary>Marks a management endpoint that takes no API key, and names what its credential is instead (for the role table).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class NoApiKeyAttribute(string credential) : Attribute
{
    public string Credential { get; } = credential;
}
