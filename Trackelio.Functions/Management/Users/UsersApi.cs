using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Feedback;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Users;

/// <summary>A team member as the API shows them; <see cref="InvitationToken"/> only in the answer to the invitation.</summary>
public sealed record UserView(string Id, string Email, string? Name, TeamRole Role, string Status, DateTimeOffset? LastActiveAt, bool EmailVerified,
    DateTimeOffset CreatedAt, bool IsOwner, string? InvitationToken = null);

/// <summary>
/// <c>/v1/users</c>: the team. Anyone may list it (its own rate limit: 30 a minute); only admins
/// invite and remove. Removing needs <c>X-Confirm: true</c>, never removes the owner, hands the
/// member's open feedback to the owner and revokes the member's keys.
/// </summary>
[ApiKeyAuth]
[Tags("Users")]
public static class UsersApi
{

    [Function("ListUsers")]
    [EndpointSummary("List team members")]
    [RateLimitBucket(RateLimitBucketAttribute.UserList)]
    public static async Task<ApiResponse<IReadOnlyList<UserView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/users")] HttpRequest req, CurrentMember member, ITeamStore team, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var owner = (await workspaces.GetAsync(member.WorkspaceId, cancellationToken))?.OwnerUserId;
        var users = new List<UserView>();
        await foreach (var m in team.ListAsync(member.WorkspaceId, cancellationToken))
        {
            users.Add(View(m, owner));
        }
        return ApiResults.List(users.OrderBy(u => u.CreatedAt).ToList());
    }

    [Function("InviteUser")]
    [EndpointSummary("Invite a team member by e-mail")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<ApiCreated<UserView>, ApiError>> Invite([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/users")] HttpRequest req, Body<InviteRequest> request, CurrentMember member, ITeamStore team, IWorkspaceStore workspaces, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (email, name, role) = (request.Value.Email, request.Value.Name, request.Value.Role);
        await foreach (var existing in team.ListAsync(member.WorkspaceId, cancellationToken))
        {
            if (string.Equals(existing.Email, email, StringComparison.OrdinalIgnoreCase))
            {
                return ApiError.Conflict("member_exists", "That e-mail address is already a member or invited.");
            }
        }

        var now = time.GetUtcNow();
        var id = Ids.New(Ids.User, now);
        var token = InvitationToken.New(member.WorkspaceId, id);
        var invited = new TeamMember
        {
            Id = id,
            WorkspaceId = member.WorkspaceId,
            Email = email,
            Name = name,
            Role = role,
            Status = "pending",
            InvitationTokenHash = Secrets.Hash(token),
            CreatedAt = now,
        };
        await team.AddAsync(invited, cancellationToken);
        var owner = (await workspaces.GetAsync(member.WorkspaceId, cancellationToken))?.OwnerUserId;
        return ApiResults.Created($"/v1/users/{invited.Id}", View(invited, owner) with { InvitationToken = token });
    }

    [Function("RemoveUser")]
    [EndpointSummary("Remove a team member (needs X-Confirm: true)")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<NoContent, ApiError>> Remove(string id, [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/users/{id}")] HttpRequest request, CurrentMember member, ITeamStore team, IWorkspaceStore workspaces,
        IFeedbackStore feedback, IApiKeyStore keys, ApiKeyDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Headers["X-Confirm"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.BadRequest("confirmation_required", "Removing a member cannot be undone; send the header X-Confirm: true.");
        }
        var target = Ids.IsValid(id, Ids.User) ? await team.GetAsync(member.WorkspaceId, id, cancellationToken) : null;
        if (target is null)
        {
            return ApiError.NotFound("No team member with that id.");
        }
        var workspace = await workspaces.GetAsync(member.WorkspaceId, cancellationToken);
        if (workspace is null || workspace.OwnerUserId == id)
        {
            return ApiError.Conflict("owner_cannot_be_removed", "The workspace owner cannot be removed.");
        }

        var now = time.GetUtcNow();
        var open = new FeedbackQuery { AssignedTo = id, Statuses = ["new", "pending", "in_progress"], NewestFirst = false };
        string? after = null;
        do
        {
            var (page, next) = await feedback.ListAsync(member.WorkspaceId, open with { After = after }, 100, cancellationToken);
            foreach (var record in page)
            {
                await ReassignAsync(feedback, record, workspace.OwnerUserId, member.UserId, now, cancellationToken);
            }
            after = next;
        }
        while (after is not null);

        await foreach (var key in keys.ListAsync(member.WorkspaceId, cancellationToken))
        {
            if (key.UserId == id && key.RevokedAt is null)
            {
                await keys.UpdateAsync(key with { RevokedAt = now }, cancellationToken);
            }
        }
        await team.DeleteAsync(member.WorkspaceId, id, cancellationToken);
        directory.InvalidateMember(member.WorkspaceId, id);
        return TypedResults.NoContent();
    }

    private static Task ReassignAsync(IFeedbackStore feedback, FeedbackRecord record, string ownerId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        feedback.UpdateAsync(record.WorkspaceId, record.Id, r => r.Triage(actor, now, status: null, assignee: ownerId, unassign: false, note: null), cancellationToken);

    private static UserView View(TeamMember m, string? ownerId) =>
        new(m.Id, m.Email, m.Name, m.Role, m.Status, m.LastActiveAt, m.EmailVerified, m.CreatedAt, m.Id == ownerId);
}
