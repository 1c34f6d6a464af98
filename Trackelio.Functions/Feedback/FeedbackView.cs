using System.Text.Json;

namespace Trackelio.Functions.Feedback;

/// <summary>A feedback entry as the management API shows it.</summary>
public sealed record FeedbackView
{
    public required string Id { get; init; }
    public required string Status { get; init; }
    public required string Source { get; init; }
    public string? WidgetId { get; init; }
    public string? Title { get; init; }
    public string? Body { get; init; }
    public string? ItemType { get; init; }

    /// <summary>The same as <see cref="ItemType"/>: the REST document calls it category.</summary>
    public string? Category { get; init; }

    public int? Rating { get; init; }
    public string? CustomerEmail { get; init; }
    public Submitter? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public Viewport? Viewport { get; init; }
    public BrowserInfo? Browser { get; init; }
    public ParsedUserAgent? Client { get; init; }
    public ElementInfo? Element { get; init; }
    public IReadOnlyList<AttachmentView> Attachments { get; init; } = [];
    public IReadOnlyList<string> MissingAttachments { get; init; } = [];
    public LogSummaryView? Logs { get; init; }
    public JsonElement? Metadata { get; init; }
    public string? AssignedTo { get; init; }
    public IReadOnlyList<FeedbackNote>? Notes { get; init; }
    public IReadOnlyList<AuditEntry>? Audit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>The list form: no notes, audit trail or links.</summary>
    public static FeedbackView Summary(FeedbackRecord record) => From(record, _ => null) with { Notes = null, Audit = null };

    /// <summary>The full form, with the audit trail, notes and short-lived links to attachments and logs.</summary>
    public static FeedbackView From(FeedbackRecord record, Func<string, string?> attachmentLink) => new()
    {
        Id = record.Id,
        Status = record.Status,
        Source = record.Source,
        WidgetId = record.WidgetId,
        Title = record.Title,
        Body = record.Body,
        ItemType = record.ItemType,
        Category = record.ItemType,
        Rating = record.Rating,
        CustomerEmail = record.CustomerEmail,
        Submitter = record.Submitter,
        Page = record.Page,
        Viewport = record.Viewport,
        Browser = record.Browser,
        Client = record.Client,
        Element = record.Element,
        Attachments = record.Attachments.Select(a => new AttachmentView(a.Id, a.Kind.ToString().ToLowerInvariant(), a.ContentType, a.Size, attachmentLink(a.Id))).ToList(),
        MissingAttachments = record.MissingAttachments,
        Logs = record.Logs is { } logs ? new LogSummaryView(logs.ConsoleLogs, logs.NetworkLogs, logs.Redactions, logs.Truncated, $"/v1/feedback/{record.Id}/logs") : null,
        Metadata = record.Metadata,
        AssignedTo = record.AssignedTo,
        Notes = record.Notes,
        Audit = record.Audit,
        CreatedAt = record.CreatedAt,
        UpdatedAt = record.UpdatedAt,
        ResolvedAt = record.ResolvedAt,
    };
}

public sealed record AttachmentView(string Id, string Kind, string ContentType, long Size, string? DownloadUrl);

public sealed record LogSummaryView(int ConsoleLogs, int NetworkLogs, int Redactions, LogTruncation? Truncated, string Url);
