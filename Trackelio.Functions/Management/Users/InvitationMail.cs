using Trackelio.Functions.Api;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Users;

/// <summary>
/// An invitation's token and its mail: a new token (its hash on the member), the <see cref="MemberInvitation"/>
/// the team sees, and the <see cref="MailIntent"/> recorded with the member. Also the workspace's hourly limit on
/// mailed invitations (new and resent, a <see cref="WorkspaceQuota"/>): an invitation mails an address an admin
/// typed, so the API must not be usable as a relay — removing an invitee gives nothing back.
/// </summary>
public static class InvitationMail
{
    /// <summary>A new token for <paramref name="invited"/>: the member to write (pending, the token's hash, the invitation) and the token itself.</summary>
    public static (TeamMember Member, string Token, MailIntent? Mail) Issue(TeamMember invited, CurrentMember inviter, MailPublisher mail, TimeSpan validFor, DateTimeOffset now)
    {
        var token = InvitationToken.New(invited.WorkspaceId, invited.Id);
        var inviterMember = inviter.Key.Member;
        MailIntent? intent = null;
        string? mailId = null;
        if (mail.IsEnabled)
        {
            intent = MailIntent.Create(invited.WorkspaceId, MailKind.Invitation, $"{invited.Id}@{now.UtcTicks}", now, MailAudience.Members,
                new MailContent.Invitation(inviterMember.Name ?? inviterMember.Email, inviterMember.Email, invited.Role.ToString().ToLowerInvariant(), token, now + validFor))
                with { UserIds = [invited.Id] };
            mailId = MailPublisher.MailId(intent, invited.Id);
        }
        var member = invited with
        {
            Status = "pending",
            InvitationTokenHash = Secrets.Hash(token),
            Invitation = new MemberInvitation(inviter.UserId, now, mailId, mailId is null ? InvitationEmailStatus.Disabled : InvitationEmailStatus.Queued),
        };
        return (member, token, intent);
    }

    /// <summary>
    /// Takes one of the workspace's mailed invitations of this hour (<see cref="MailOptions.InvitationsPerHour"/>): null when
    /// taken, else how long until there is room. Without mail nothing is mailed, so nothing is limited.
    /// </summary>
    public static Task<TimeSpan?> TakeQuotaAsync(WorkspaceQuota quota, MailPublisher mail, MailOptions options, string workspaceId, CancellationToken cancellationToken) =>
        mail.IsEnabled ? quota.TakeAsync(workspaceId, "invitations", options.InvitationsPerHour, cancellationToken) : Task.FromResult<TimeSpan?>(null);
}
