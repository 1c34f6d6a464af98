using Trackelio.Functions.Api;

namespace Trackelio.Functions.Management.SignIn;

/// <summary>
/// A sign-in token: <c>sgn_{workspace id}.{user id}.{256 random bits}</c>, like an invitation token. It names
/// the member so that using it is one point read; only its SHA-256 is stored (on the member).
/// </summary>
public static class SignInToken
{
    public const string Prefix = "sgn_";

    public static string New(string workspaceId, string userId) => Secrets.New($"{Prefix}{workspaceId}.{userId}.");

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
