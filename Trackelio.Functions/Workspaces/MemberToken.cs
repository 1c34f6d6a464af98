using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>
/// A secret token that names the member it is for: <c>{prefix}{workspace id}.{user id}.{256 random bits}</c>. Naming
/// the member makes using it one point read; only its SHA-256 is stored (on the member), and the random part is what
/// makes it a credential. Invitations (<see cref="InvitationToken"/>) and dashboard sign-in links are such tokens.
/// </summary>
public static class MemberToken
{
    public static string New(string prefix, string workspaceId, string userId) => Secrets.New($"{prefix}{workspaceId}.{userId}.");

    /// <summary>The workspace and member a token names, or null when it is not shaped like one with this prefix.</summary>
    public static (string WorkspaceId, string UserId)? Parse(string prefix, string? token)
    {
        if (token is null || token.Length > 200 || !token.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = token[prefix.Length..].Split('.');
        return parts.Length == 3 && Ids.IsValid(parts[0], Ids.Workspace) && Ids.IsValid(parts[1], Ids.User) && parts[2].Length >= 40
            ? (parts[0], parts[1])
            : null;
    }
}
