using Trackelio.Functions.Api;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Users;

/// <summary>
/// An invitation's token and its mail: a new token (its hash on the member), the <see cref="MemberInvitation"/>
/// the team sees, and the <see cref="MailIntent"/> recorded with the member. Also the workspace's hourly limit on
/// invitations (new and resent): with mail on, an invitation mails an address an admin typed, so the API must
/// not be usable as a relay.
/// </summary>
public static class InvitationMail
{
    /// <summary>A new token for <paramref name="invited"/>: the member to write (pending, the token's hash, the invitation) and the token itself.</summary>
    public static (TeamMember Member, string Token, MailIntent? Mail) Issue(TeamMember invited, CurrentMember inviter, MailPublisher mail, TimeSpan validFor, DateTimeOffset now)
    {
        var token = InvitationToken.New(invited.WorkspaceId, invited.Id);
        var recent = (invited.Invitation?.RecentlyIssued ?? []).Where(t => t > now - TimeSpan.FromHours(1)).Append(now).ToList();
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
            Invitation = new MemberInvitation(inviter.UserId, now, mailId, mailId is null ? InvitationEmailStatus.Disabled : InvitationEmailStatus.Queued)
            {
                RecentlyIssued = recent,
            },
        };
        return (member, token, intent);
    }

    /// <summary>How long until the workspace may issue another invitation, or null when it may now.</summary>
    public static TimeSpan? WaitBeforeNext(IEnumerable<TeamMember> team, int perHour, DateTimeOffset now)
    {
        var hourAgo = now - TimeSpan.FromHours(1);
        var issued = team.SelectMany(m => m.Invitation?.RecentlyIssued ?? []).Where(t => t > hourAgo).Order().ToList();
        return issued.Count < perHour ? null : issued[issued.Count - perHour] + TimeSpan.FromHours(1) - now;
    }
}
