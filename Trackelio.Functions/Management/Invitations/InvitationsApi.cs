using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Keys;
using Trackelio.Functions.Management.Users;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Invitations;

/// <summary>What accepting an invitation answers: the member, now active, and their first key with its secret (shown once).</summary>
public sealed record AcceptedInvitationView(UserView User, ApiKeyView ApiKey);

/// <summary>What an invitation is for: the invited address and role, the workspace, who invited, and until when it works.</summary>
public sealed record InvitationView(string Email, TeamRole Role, string WorkspaceId, string WorkspaceName, string? InvitedBy, DateTimeOffset ExpiresAt);

/// <summary>
/// <c>POST /v1/invitations/accept</c>: the invitee trades the <c>invitation_token</c> from
/// <c>POST /v1/users</c> for an active membership and their first management key. No API key:
/// the token is the credential (256 random bits), valid for 7 days and once.
/// <c>POST /v1/invitations/check</c> says what the token is for (workspace, role, address, who invited) using
/// nothing up, so the page an invitation opens can show it before the invitee joins; it refuses as accepting would.
/// </summary>
[Tags("Users")]
public static class InvitationsApi
{

    [Function("CheckInvitation")]
    [EndpointSummary("What an invitation is for (workspace, role, address, who invited), without accepting it")]
    [NoApiKey("the invitation token")]
    [ErrorResponses(400, 401, 409, 413, 415, 503)]
    public static async Task<Results<ApiResponse<InvitationView>, ApiError>> Check([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/invitations/check")] HttpRequest req, Body<CheckInvitationRequest> request, InvitationAcceptance invitations, IWorkspaceStore workspaces, ITeamStore team, CancellationToken cancellationToken)
    {
        var (outcome, invited) = await invitations.CheckAsync(request.Value.InvitationToken, cancellationToken);
        if (Refusal(outcome) is { } refused)
        {
            return refused;
        }
        if (await workspaces.GetAsync(invited!.WorkspaceId, cancellationToken) is not { } workspace)
        {
            return Refusal(InvitationOutcome.Invalid)!;
        }
        var inviter = invited.Invitation is { InvitedBy: { } by } ? await team.GetAsync(invited.WorkspaceId, by, cancellationToken) : null;
        return ApiResults.Ok(new InvitationView(invited.Email, invited.Role, workspace.Id, workspace.Name, inviter is null ? null : inviter.Name ?? inviter.Email,
            invitations.ExpiresAt(invited.InvitationIssuedAt)));
    }

    [Function("AcceptInvitation")]
    [EndpointSummary("Accept an invitation: the member becomes active and gets their first key (shown once)")]
    [NoApiKey("the invitation token")]
    [ErrorResponses(400, 401, 409, 413, 415, 503)]
    public static async Task<Results<ApiCreated<AcceptedInvitationView>, ApiError>> Accept([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/invitations/accept")] HttpRequest req, Body<AcceptInvitationRequest> request, InvitationAcceptance invitations, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var (outcome, accepted) = await invitations.AcceptAsync(request.Value.InvitationToken, request.Value.KeyName ?? "First key", cancellationToken);
        if (Refusal(outcome) is { } refused)
        {
            return refused;
        }
        var owner = (await workspaces.GetAsync(accepted!.Member.WorkspaceId, cancellationToken))?.OwnerUserId;
        var user = UserView.From(accepted.Member, owner);
        return ApiResults.Created($"/v1/api-keys/{accepted.Key.Id}", new AcceptedInvitationView(user, ApiKeyView.From(accepted.Key, accepted.Secret)));
    }

    private static ApiError? Refusal(InvitationOutcome outcome) => outcome switch
    {
        InvitationOutcome.Invalid => ApiError.Unauthorized("invalid_invitation_token", "The invitation token is unknown."),
        InvitationOutcome.Expired => ApiError.Unauthorized("invitation_expired", "The invitation expired; ask an admin of the workspace to invite you again."),
        InvitationOutcome.AlreadyAccepted => ApiError.Conflict("invitation_already_accepted", "The invitation was already accepted; it works once."),
        _ => null,
    };
}
