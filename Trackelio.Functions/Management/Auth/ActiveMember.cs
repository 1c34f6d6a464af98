using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Auth;

/// <summary>The field rule "an active member of this workspace" (assignees, key owners), for request records.</summary>
public static class ActiveMember
{
    public static async Task<bool> IsAsync(HttpContext http, string userId) =>
        Ids.IsValid(userId, Ids.User)
        && await http.RequestServices.GetRequiredService<ITeamStore>().GetAsync(
            http.RequestServices.GetRequiredService<CurrentMember>().WorkspaceId, userId, http.RequestAborted) is { Status: "active" };
}
