using System.Text.Json;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Mail;

/// <summary>The mails the app writes.</summary>
public enum MailKind
{
    Invitation,
    WidgetResumed,
    FeedbackAssigned,
    NewFeedback,
    DailyDigest,
    SignIn,
}

/// <summary>Who a mail goes to: named members, the workspace's admins (and owner), or members who asked for each new feedback.</summary>
public enum MailAudience
{
    Members,
    Admins,
    NewFeedbackInstant,
}

/// <summary>
/// A mail a change causes, before its recipients are known: recorded with the change (the outbox row of
/// <c>Webhooks/EventOutbox</c>) or published by work that is retried until it succeeds. <see cref="SourceId"/>
/// names the change, so publishing the same intent again makes no second mail (<see cref="MailPublisher.MailId"/>).
/// <see cref="Data"/> is the kind's content record (<see cref="MailContent"/>), everything the mail says.
/// </summary>
public sealed record MailIntent(string WorkspaceId, MailKind Kind, string SourceId, DateTimeOffset OccurredAt, MailAudience Audience, JsonElement Data)
{
    /// <summary>For <see cref="MailAudience.Members"/>: who.</summary>
    public IReadOnlyList<string> UserIds { get; init; } = [];

    /// <summary>The member who made the change: never mailed about their own doing.</summary>
    public string? ActorUserId { get; init; }

    public static MailIntent Create<T>(string workspaceId, MailKind kind, string sourceId, DateTimeOffset occurredAt, MailAudience audience, T content) =>
        new(workspaceId, kind, sourceId, occurredAt, audience, JsonSerializer.SerializeToElement(content, TrackelioJson.Options));
}
