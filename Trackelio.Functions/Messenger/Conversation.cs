using Trackelio.Functions.Feedback;

namespace Trackelio.Functions.Messenger;

/// <summary>
/// A chat between a site's visitor and its team. <see cref="LastSequence"/> numbers its messages
/// in the order they were accepted; it advances, with the message, in one transaction.
/// </summary>
public sealed record Conversation
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string WidgetId { get; init; }

    /// <summary><c>open</c> or <c>resolved</c>.</summary>
    public string Status { get; init; } = "open";

    /// <summary>SHA-256 of the visitor's token; the token itself is shown once, at the start.</summary>
    public required string VisitorTokenHash { get; init; }

    public Submitter? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public string? AssignedTo { get; init; }
    public long LastSequence { get; init; }

    /// <summary>The time part of the newest message id, so ids keep increasing even when clocks disagree.</summary>
    public DateTimeOffset? LastMessageAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
}

/// <summary>One message: from the <c>visitor</c>, a <c>team</c> member or the <c>system</c>.</summary>
public sealed record ChatMessage
{
    public required string Id { get; init; }
    public required string ConversationId { get; init; }
    public required long Sequence { get; init; }
    public required string AuthorKind { get; init; }
    public string? AuthorId { get; init; }

    /// <summary>For team members: the name the visitor sees.</summary>
    public string? AuthorName { get; init; }

    public required string Body { get; init; }
    public IReadOnlyList<AttachmentRef> Attachments { get; init; } = [];
    public string? ClientMessageId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A conversation as both APIs and webhooks show it: without the visitor token's hash.</summary>
public sealed record ConversationView(string Id, string WidgetId, string Status, Submitter? Submitter, PageInfo? Page, string? AssignedTo,
    long MessageCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt);
