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

/// <summary>
/// <c>POST /v1/invitations/accept</c>: the invitee trades the <c>invitation_token</c> from
/// <c>POST /v1/users</c> for an active membership and their first management key. No API key:
/// the token is the credential (256 random bits), valid for 7 days and once.
/// </summary>
[Tags("Users")]
public static class InvitationsApi
{

    [Function("AcceptInvitation")]
    [EndpointSummary("Accept an invitation: the member becomes active and gets their first key (shown once)")]
    [NoApiKey("the invitation token")]
    [ErrorResponses(400, 401, 409, 413, 415, 503)]
    public static async Task<Results<ApiCreated<AcceptedInvitationView>, ApiError>> Accept([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/invitations/accept")] HttpRequest req, Body<AcceptInvitationRequest> request, InvitationAcceptance invitations, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var (outcome, accepted) = await invitations.AcceptAsync(request.Value.InvitationToken, request.Value.KeyName ?? "First key", cancellationToken);
        switch (outcome)
        {
            case InvitationOutcome.Invalid:
                return ApiError.Unauthorized("invalid_invitation_token", "The invitation token is unknown.");
            case InvitationOutcome.Expired:
                return ApiError.Unauthorized("invitation_expired", "The invitation expired; ask an admin of the workspace to invite you again.");
            case InvitationOutcome.AlreadyAccepted:
                return ApiError.Conflict("invitation_already_accepted", "The invitation was already accepted; it works once.");
        }
        var owner = (await workspaces.GetAsync(accepted!.Member.WorkspaceId, cancellationToken))?.OwnerUserId;
        var user = UserView.From(accepted.Member, owner);
        return ApiResults.Created($"/v1/api-keys/{accepted.Key.Id}", new AcceptedInvitationView(user, ApiKeyView.From(accepted.Key, accepted.Secret)));
    }
}

