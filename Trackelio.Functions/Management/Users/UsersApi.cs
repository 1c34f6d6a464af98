using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Feedback;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Management.Users;

/// <summary>
/// A team member as the API shows them: their notification mails, and for a pending invitation when its token
/// was issued and what became of its mail (<see cref="InvitationEmailStatus"/>); <see cref="InvitationToken"/> only
/// in the answer that issued it.
/// </summary>
public sealed record UserView(string Id, string Email, string? Name, TeamRole Role, string Status, DateTimeOffset? LastActiveAt, bool EmailVerified,
    DateTimeOffset CreatedAt, bool IsOwner, string? InvitationToken = null)
{
    public MailPreferences? Notifications { get; init; }
    public DateTimeOffset? InvitedAt { get; init; }
    public string? EmailStatus { get; init; }
    public DateTimeOffset? EmailSentAt { get; init; }

    public static UserView From(TeamMember m, string? ownerId) =>
        new(m.Id, m.Email, m.Name, m.Role, m.Status, m.LastActiveAt, m.EmailVerified, m.CreatedAt, m.Id == ownerId)
        {
            Notifications = m.Mail,
            InvitedAt = m.Status == "pending" ? m.InvitationIssuedAt : null,
            EmailStatus = m.Status == "pending" ? m.Invitation?.EmailStatus ?? InvitationEmailStatus.Disabled : null,
            EmailSentAt = m.Status == "pending" ? m.Invitation?.EmailSentAt : null,
        };
}

/// <summary>The team handlers' dependencies, one scoped service.</summary>
public sealed class UserServices(ITeamStore team, IWorkspaceStore workspaces, CurrentMember member, EventOutbox outbox, MailPublisher mail,
    WorkspaceQuota quota, ApiKeyDirectory directory, IOptions<MailOptions> mailOptions, IOptions<InvitationOptions> invitations, TimeProvider time)
{
    public WorkspaceQuota Quota { get; } = quota;
    public ITeamStore Team { get; } = team;
    public IWorkspaceStore Workspaces { get; } = workspaces;
    public CurrentMember Member { get; } = member;
    public EventOutbox Outbox { get; } = outbox;
    public MailPublisher Mail { get; } = mail;
    public ApiKeyDirectory Directory { get; } = directory;
    public MailOptions MailOptions { get; } = mailOptions.Value;
    public InvitationOptions Invitations { get; } = invitations.Value;
    public TimeProvider Time { get; } = time;
}

/// <summary>
/// <c>/v1/users</c>: the team. Anyone may list it (its own rate limit: 30 a minute); only admins
/// invite, resend invitations, change roles and remove; a member changes their own name and
/// notification mails. An invitation is mailed (recorded with the member: see <c>Webhooks/EventOutbox</c>);
/// new and resent invitations are limited per workspace and hour. Removing needs <c>X-Confirm: true</c>,
/// never removes the owner, hands the member's open feedback to the owner and revokes the member's keys.
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
            users.Add(UserView.From(m, owner));
        }
        return ApiResults.List(users.OrderBy(u => u.CreatedAt).ToList());
    }

    [Function("InviteUser")]
    [EndpointSummary("Invite a team member by e-mail (the invitation is mailed when mail is on)")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<ApiCreated<UserView>, ApiError>> Invite([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/users")] HttpRequest req, Body<InviteRequest> request, [FromServices] UserServices services,
        CancellationToken cancellationToken)
    {
        var (email, name, role) = (request.Value.Email, request.Value.Name, request.Value.Role);
        var workspaceId = services.Member.WorkspaceId;
        var team = await services.Team.ListAsync(workspaceId, cancellationToken).ToListAsync(cancellationToken);
        if (team.Any(existing => string.Equals(existing.Email, email, StringComparison.OrdinalIgnoreCase)))
        {
            return ApiError.Conflict("member_exists", "That e-mail address is already a member or invited.");
        }
        var now = services.Time.GetUtcNow();
        if (await InvitationMail.TakeQuotaAsync(services.Quota, services.Mail, services.MailOptions, workspaceId, cancellationToken) is { } wait)
        {
            return LimitReached(services, wait);
        }

        var id = Ids.New(Ids.User, now);
        var (invited, token, mail) = InvitationMail.Issue(new TeamMember { Id = id, WorkspaceId = workspaceId, Email = email, Name = name, Role = role, CreatedAt = now },
            services.Member, services.Mail, services.Invitations.ValidFor, now);
        if (mail is null)
        {
            await services.Team.AddAsync(invited, cancellationToken);
        }
        else
        {
            // The mail is recorded with the member: an acknowledged invitation is never without it.
            var entry = await services.Outbox.OpenAsync(StorageNames.Tables.Members, workspaceId, cancellationToken);
            await services.Team.AddAsync(invited, [services.Outbox.Record(entry, [], [mail])], cancellationToken);
            await services.Outbox.PublishAsync(entry, [], [mail], cancellationToken);
        }
        var owner = (await services.Workspaces.GetAsync(workspaceId, cancellationToken))?.OwnerUserId;
        return ApiResults.Created($"/v1/users/{invited.Id}", UserView.From(invited, owner) with { InvitationToken = token });
    }

    [Function("ResendInvitation")]
    [EndpointSummary("Issue a new invitation token (the old one stops working) and mail it again")]
    [MinimumRole(TeamRole.Admin)]
    [ErrorResponses(409, 429)]
    public static async Task<Results<ApiResponse<UserView>, ApiError>> ResendInvitation(string id, [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/users/{id}/resend-invitation")] HttpRequest req,
        [FromServices] UserServices services, CancellationToken cancellationToken)
    {
        var workspaceId = services.Member.WorkspaceId;
        var team = await services.Team.ListAsync(workspaceId, cancellationToken).ToListAsync(cancellationToken);
        if (!Ids.IsValid(id, Ids.User) || team.FirstOrDefault(m => m.Id == id) is not { } target)
        {
            return ApiError.NotFound("No team member with that id.");
        }
        if (target.Status != "pending")
        {
            return ApiError.Conflict("invitation_already_accepted", "The member accepted their invitation already; there is nothing to resend.");
        }
        var now = services.Time.GetUtcNow();
        var sinceLast = now - target.InvitationIssuedAt;
        if (sinceLast < services.MailOptions.ResendInterval)
        {
            return ApiError.TooManyRequests("resent_too_soon", "The invitation was issued moments ago; resend it after the time in Retry-After.",
                services.MailOptions.ResendInterval - sinceLast);
        }
        if (await InvitationMail.TakeQuotaAsync(services.Quota, services.Mail, services.MailOptions, workspaceId, cancellationToken) is { } wait)
        {
            return LimitReached(services, wait);
        }

        string? token = null;
        MailIntent? mail = null;
        var outcome = await services.Outbox.UpdateAsync<TeamMember>(StorageNames.Tables.Members, workspaceId,
            member => ([], mail is null ? [] : [mail]),
            with => services.Team.UpdateAsync(workspaceId, id, member =>
            {
                if (member.Status != "pending")
                {
                    return null;
                }
                (var issued, token, mail) = InvitationMail.Issue(member, services.Member, services.Mail, services.Invitations.ValidFor, now);
                return issued;
            }, with, cancellationToken), cancellationToken);
        if (outcome is not { Status: UpdateStatus.Updated, Value: { } resent })
        {
            return outcome.Status == UpdateStatus.NotFound
                ? ApiError.NotFound("No team member with that id.")
                : ApiError.Conflict("invitation_already_accepted", "The member accepted their invitation meanwhile; there is nothing to resend.");
        }
        var owner = (await services.Workspaces.GetAsync(workspaceId, cancellationToken))?.OwnerUserId;
        return ApiResults.Ok(UserView.From(resent, owner) with { InvitationToken = token });
    }

    [Function("UpdateUser")]
    [EndpointSummary("Change a member's name, role (admins) or notification mails (the member, or an admin)")]
    [MinimumRole(TeamRole.Admin)]
    [OwnMemberRole(TeamRole.Editor)]
    [ErrorResponses(409)]
    public static async Task<Results<ApiResponse<UserView>, ApiError>> Update(string id, [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/users/{id}")] HttpRequest req,
        Body<UpdateUserRequest> request, [FromServices] UserServices services, CancellationToken cancellationToken)
    {
        var change = request.Value;
        // Another member's: admins (the middleware's check); one's own: editors too, but not one's role.
        if (change.Role is not null && services.Member.Role != TeamRole.Admin)
        {
            return ApiError.Forbidden("insufficient_role", "Only admins change roles.");
        }
        var workspace = Ids.IsValid(id, Ids.User) ? await services.Workspaces.GetAsync(services.Member.WorkspaceId, cancellationToken) : null;
        if (workspace is null)
        {
            return ApiError.NotFound("No team member with that id.");
        }
        if (change.Role is { } role && role != TeamRole.Admin && workspace.OwnerUserId == id)
        {
            return ApiError.Conflict("owner_must_stay_admin", "The workspace owner is always an admin.");
        }

        var outcome = await services.Team.UpdateAsync(services.Member.WorkspaceId, id, member => member with
        {
            Name = change.Name ?? member.Name,
            Role = change.Role ?? member.Role,
            Mail = change.Notifications?.ApplyTo(member.Mail) ?? member.Mail,
        }, cancellationToken: cancellationToken);
        if (outcome is not { Status: UpdateStatus.Updated or UpdateStatus.Unchanged, Value: { } updated })
        {
            return outcome.Status == UpdateStatus.NotFound
                ? ApiError.NotFound("No team member with that id.")
                : ApiError.Conflict("edit_conflict", "The member changed too often at once; try again.");
        }
        services.Directory.InvalidateMember(updated.WorkspaceId, updated.Id);
        services.Mail.Invalidate(updated.WorkspaceId);
        return ApiResults.Ok(UserView.From(updated, workspace.OwnerUserId));
    }

    private static ApiError LimitReached(UserServices services, TimeSpan wait) =>
        ApiError.TooManyRequests("invitation_limit_reached",
            $"This workspace mailed {services.MailOptions.InvitationsPerHour} invitations this hour; invite again after the time in Retry-After.", wait);

    [Function("RemoveUser")]
    [EndpointSummary("Remove a team member (needs X-Confirm: true)")]
    [MinimumRole(TeamRole.Admin)]
    [HeaderParameter("X-Confirm", "Must be true: removing a member cannot be undone (400 confirmation_required without it).", Required = true, Value = "true")]
    public static async Task<Results<NoContent, ApiError>> Remove(string id, [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/users/{id}")] HttpRequest request, CurrentMember member, ITeamStore team, IWorkspaceStore workspaces,
        IFeedbackStore feedback, ConversationStore conversations, IApiKeyStore keys, ApiKeyDirectory directory, MailPublisher mail, TimeProvider time,
        CancellationToken cancellationToken)
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

        // Their open conversations go to the owner too (ended ones keep who handled them): each only while it is still
        // open and theirs when written. One that kept changing stops the removal (409): sent again, it lists what is left.
        var openChats = new ConversationQuery { Status = "open", AssignedTo = id };
        do
        {
            var (page, next) = await conversations.ListAsync(member.WorkspaceId, openChats with { After = after }, 100, cancellationToken);
            foreach (var conversation in page)
            {
                var handed = await conversations.ChangeAsync(member.WorkspaceId, conversation.Id, c => c.Status == "open" && c.AssignedTo == id
                    ? new ConversationChange(c with { AssignedTo = workspace.OwnerUserId, UpdatedAt = now }, [])
                    : null, cancellationToken);
                if (handed.Status == UpdateStatus.Conflict)
                {
                    return ApiError.Conflict("conflict", "A conversation of the member kept changing while it was handed to the owner; nothing more was changed. Try again.");
                }
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
        mail.Invalidate(member.WorkspaceId);
        return TypedResults.NoContent();
    }

    private static Task ReassignAsync(IFeedbackStore feedback, FeedbackRecord record, string ownerId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        feedback.UpdateAsync(record.WorkspaceId, record.Id, r => r.Triage(actor, now, status: null, assignee: ownerId, unassign: false, note: null), cancellationToken);

}
