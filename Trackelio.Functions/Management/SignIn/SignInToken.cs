using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.SignIn;

/// <summary>A sign-in token: a <see cref="MemberToken"/> with the prefix <c>sgn_</c>, its hash among the member's unused links.</summary>
public static class SignInToken
{
    public const string Prefix = "sgn_";

    public static string New(string workspaceId, string userId) => MemberToken.New(Prefix, workspaceId, userId);

    public static (string WorkspaceId, string UserId)? Parse(string? token) => MemberToken.Parse(Prefix, token);
}
