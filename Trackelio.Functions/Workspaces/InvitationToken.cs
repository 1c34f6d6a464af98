using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>
/// An invitation token: <c>inv_{workspace id}.{user id}.{256 random bits}</c>. It names the
/// invited member so that accepting is one point read; only its SHA-256 is stored (on the
/// member), and the random part is what makes it a credential.
/// </summary>
public static class InvitationToken
{
    public const string Prefix = "inv_";

    public static string New(string workspaceId, string userId) => Secrets.New($"{Prefix}{workspaceId}.{userId}.");

    /// <summary>The workspace and member a token names, or null when it is not shaped like one.</summary>
    public static (string WorkspaceId, string UserId)? Parse(string? token)
    {
        if (token is null || token.Length > 200 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = token[Prefix.Length..].Split('.');
        return parts.Length == 3 && Ids.IsValid(parts[0], Ids.Workspace) && Ids.IsValid(parts[1], Ids.User) && parts[2].Length >= 40
            ? (parts[0], parts[1])
            : null;
    }
}
