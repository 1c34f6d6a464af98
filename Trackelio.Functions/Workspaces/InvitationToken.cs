namespace Trackelio.Functions.Workspaces;

/// <summary>An invitation token: a <see cref="MemberToken"/> with the prefix <c>inv_</c>, its hash on the invited member.</summary>
public static class InvitationToken
{
    public const string Prefix = "inv_";

    public static string New(string workspaceId, string userId) => MemberToken.New(Prefix, workspaceId, userId);

    public static (string WorkspaceId, string UserId)? Parse(string? token) => MemberToken.Parse(Prefix, token);
}
