using System.Text;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Auth;

/// <summary>
/// The role × endpoint table of the management API, rendered from the endpoints' own metadata
/// (the same <see cref="ApiKeyMiddleware.RequiredRole"/> the middleware enforces), so the copy in docs/api.md
/// cannot drift: a test compares them.
/// </summary>
public static class RoleTable
{
    private static readonly TeamRole[] Roles = [TeamRole.Viewer, TeamRole.Editor, TeamRole.Admin];

    public static string Render()
    {
        var rows = FunctionCatalog.All
            .Where(f => f.HttpTrigger is { Route: not null } && (f.Has<ApiKeyAuthAttribute>() || f.Has<NoApiKeyAttribute>()))
            .Select(f => (Route: "/" + f.HttpTrigger!.Route!.TrimEnd('/'), Method: f.HttpTrigger.Methods![0].ToUpperInvariant(), Endpoint: f))
            .OrderBy(r => r.Route, StringComparer.Ordinal)
            .ThenBy(r => Array.IndexOf(["GET", "POST", "PATCH", "PUT", "DELETE"], r.Method));

        var table = new StringBuilder();
        table.Append("| Endpoint | viewer | editor | admin |\n|---|:-:|:-:|:-:|\n");
        foreach (var (route, method, endpoint) in rows)
        {
            table.Append($"| `{method} {route}` |");
            if (endpoint.Metadata.GetMetadata<NoApiKeyAttribute>() is { } noKey)
            {
                table.Append($" no key: {noKey.Credential} | | |\n");
                continue;
            }
            var required = ApiKeyMiddleware.RequiredRole(endpoint.Metadata, method);
            var own = endpoint.Metadata.GetMetadata<OwnMemberRoleAttribute>()?.Role;
            foreach (var role in Roles)
            {
                table.Append(role <= required ? " ✓ |" : own is { } ownRole && role <= ownRole ? " own |" : " — |");
            }
            table.Append('\n');
        }
        return table.ToString();
    }
}
