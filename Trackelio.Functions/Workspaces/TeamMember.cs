namespace Trackelio.Functions.Workspaces;

/// <summary>What a team member may do through the management API.</summary>
public enum TeamRole
{
    Admin,
    Editor,
    Viewer,
}

/// <summary>A member of a workspace's team (or an invited one, until they accept).</summary>
public sealed record TeamMember
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Email { get; init; }
    public string? Name { get; init; }
    public required TeamRole Role { get; init; }

    /// <summary><c>active</c>, or <c>pending</c> for an invitation not yet accepted.</summary>
    public string Status { get; init; } = "active";

    public bool EmailVerified { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastActiveAt { get; init; }

    /// <summary>For a pending invitation: the SHA-256 of the token sent to the invitee.</summary>
    public string? InvitationTokenHash { get; init; }

    /// <summary>For an invited member: who invited them, when the current token was made, and what became of its mail.</summary>
    public MemberInvitation? Invitation { get; init; }

    /// <summary>The member's outstanding sign-in link (the dashboard's e-mail sign-in), if any: one at a time, used once.</summary>
    public MemberSignIn? SignIn { get; init; }

    /// <summary>Which notification mails the member wants.</summary>
    public MailPreferences Mail { get; init; } = new();

    /// <summary>When the invitation expires: its current token's age counts (a resent invitation starts again).</summary>
    public DateTimeOffset InvitationIssuedAt => Invitation?.IssuedAt ?? CreatedAt;
}

/// <summary>
/// A member's notification mails: about new feedback (<see cref="NewFeedbackMail.Off"/> unless they ask), about
/// feedback assigned to them and about a widget resumed with <c>notify</c> (to admins; both on unless turned off).
/// </summary>
public sealed record MailPreferences(NewFeedbackMail NewFeedback = NewFeedbackMail.Off, bool Assigned = true, bool WidgetResumed = true);

/// <summary>Mails about new feedback a member wants: none, one per feedback, or a daily digest.</summary>
public enum NewFeedbackMail
{
    Off,
    Instant,
    Daily,
}

/// <summary>What the team sees of an invitation's mail (<c>email_status</c>).</summary>
public static class InvitationEmailStatus
{
    /// <summary>Recorded with the invitation; the mail function has not sent it yet (or is retrying).</summary>
    public const string Queued = "queued";
    public const string Sent = "sent";

    /// <summary>The relay refused it for good, or it kept failing until retries ran out.</summary>
    public const string Failed = "failed";

    /// <summary>Mail is off (no SMTP host configured): the admin passes the token on.</summary>
    public const string Disabled = "disabled";
}

/// <summary>
/// An invitation's current token: issued by whom and when (the first invitation, or the latest resend),
/// the mail that carries it (<paramref name="MailId"/>), and that mail's <see cref="InvitationEmailStatus"/>.
/// </summary>
public sealed record MemberInvitation(string InvitedBy, DateTimeOffset IssuedAt, string? MailId, string EmailStatus, DateTimeOffset? EmailSentAt = null);

/// <summary>
/// The sign-in links mailed to a member and not used yet (the SHA-256 of each token and when it was issued: each
/// works once, within its time), and the request that asked for the latest (a retried queue message issues no second
/// link). A new link does not void the others, so someone asking for links in a member's name cannot lock them out:
/// every link goes to the member's own inbox.
/// </summary>
public sealed record MemberSignIn(IReadOnlyList<IssuedSignInLink> Links, string RequestId);

/// <summary>One mailed sign-in link: the SHA-256 of its token, and when it was issued.</summary>
public sealed record IssuedSignInLink(string TokenHash, DateTimeOffset IssuedAt);
