using System.Text.Json;
using Trackelio.Functions.Attachments;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// A piece of feedback as the team sees it: what the visitor (or an API caller) sent, enriched,
/// with its triage state and history. Its captured logs live beside it in a blob
/// (<see cref="LogSummary.Blob"/>), keeping the record small.
/// </summary>
public sealed record FeedbackRecord
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public string? WidgetId { get; init; }

    /// <summary><c>widget</c> or <c>api</c>.</summary>
    public required string Source { get; init; }

    /// <summary><c>new</c>, <c>pending</c>, <c>in_progress</c>, <c>resolved</c> or <c>closed</c>.</summary>
    public string Status { get; init; } = "new";

    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? ItemType { get; init; }
    public int? Rating { get; init; }
    public string? CustomerEmail { get; init; }
    public Submitter? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public Viewport? Viewport { get; init; }
    public BrowserInfo? Browser { get; init; }
    public string? UserAgent { get; init; }

    /// <summary>The user agent parsed into browser, OS and device.</summary>
    public ParsedUserAgent? Client { get; init; }

    public ElementInfo? Element { get; init; }
    public string? SessionToken { get; init; }
    public IReadOnlyList<AttachmentRef> Attachments { get; init; } = [];

    /// <summary>Attachment ids the submission named that do not exist or belong to another project.</summary>
    public IReadOnlyList<string> MissingAttachments { get; init; } = [];

    public LogSummary? Logs { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? Origin { get; init; }
    public string? AssignedTo { get; init; }
    public IReadOnlyList<FeedbackNote> Notes { get; init; } = [];
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary>When a team member first changed it (kept on the record: the audit trail itself lives in rows of its own).</summary>
    public DateTimeOffset? TeamActedAt { get; init; }

    /// <summary>How many of <see cref="Notes"/> the stored row holds; later ones are history rows (<see cref="FeedbackHistory"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int InlineNoteCount { get; init; }

    /// <summary>How many of <see cref="Audit"/> the stored row holds; later ones are history rows.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int InlineAuditCount { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public DateTimeOffset? DeletedAt { get; init; }
}

public sealed record AttachmentRef(string Id, AttachmentKind Kind, string ContentType, long Size);

/// <summary>How many log entries were kept, how many secrets were removed, what was cut, and where the logs are.</summary>
public sealed record LogSummary(int ConsoleLogs, int NetworkLogs, int Redactions, LogTruncation? Truncated, string? Blob);

/// <summary>The captured logs of one feedback record, as stored in its blob.</summary>
public sealed record FeedbackLogs(IReadOnlyList<ConsoleLogEntry> ConsoleLogs, IReadOnlyList<NetworkLogEntry> NetworkLogs);

/// <summary>An internal note a team member added.</summary>
public sealed record FeedbackNote(string AuthorId, string Body, DateTimeOffset CreatedAt);

/// <summary>One change: who (<c>usr_…</c>, <c>widget</c> or <c>api</c>) did what, when, and from/to which values.</summary>
public sealed record AuditEntry(string Action, string Actor, DateTimeOffset At, IReadOnlyDictionary<string, string?>? Changes = null);
