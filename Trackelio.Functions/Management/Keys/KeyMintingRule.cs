using Trackelio.Functions.Api;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Keys;

/// <summary>
/// Who may be handed a secret that acts as a member (creating or rotating a key for them): the
/// member themself, or the workspace owner for anyone. Otherwise an admin could mint a key for
/// the owner or another admin and act, and appear in audit trails, as them. Revoking is not
/// limited: it hands out nothing.
/// </summary>
public sealed class KeyMintingRule(IWorkspaceStore workspaces)
{
    public async Task<ApiError?> RefuseAsync(CurrentMember member, string targetUserId, CancellationToken cancellationToken)
    {
        if (targetUserId == member.UserId)
        {
            return null;
        }
        var owner = (await workspaces.GetAsync(member.WorkspaceId, cancellationToken))?.OwnerUserId;
        return owner == member.UserId
            ? null
            : ApiError.Forbidden("key_for_other_member", "Only the member themself, or the workspace owner, may create or rotate a key for a member.");
    }
}
