using System.Text.Json;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// A feedback post as the widget sent it, validated and with its captured logs trimmed to
/// the widget's limits: what the submit endpoint makes durable and the enrichment turns
/// into a <see cref="FeedbackRecord"/>.
/// </summary>
public sealed record FeedbackSubmission
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string WidgetId { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    public required string ItemType { get; init; }
    public Submitter? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public Viewport? Viewport { get; init; }
    public BrowserInfo? Browser { get; init; }
    public string? UserAgent { get; init; }
    public string? SessionToken { get; init; }
    public IReadOnlyList<string> AttachmentIds { get; init; } = [];
    public ElementInfo? Element { get; init; }
    public IReadOnlyList<ConsoleLogEntry> ConsoleLogs { get; init; } = [];
    public IReadOnlyList<NetworkLogEntry> NetworkLogs { get; init; } = [];
    public JsonElement? Metadata { get; init; }
    public string? Origin { get; init; }
    public LogTruncation? Truncated { get; init; }
}

/// <summary>Who sent it. <see cref="Verified"/> only when <c>user_hash</c> proved <see cref="UserId"/>.</summary>
public sealed record Submitter
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? UserId { get; init; }
    public bool Verified { get; init; }

    /// <summary>Set when a <c>user_hash</c> was sent and did not match: the identity is claimed, not proven.</summary>
    public string? IdentityFlag { get; init; }
}

public sealed record PageInfo
{
    public string? Url { get; init; }
    public string? Path { get; init; }
    public string? Title { get; init; }
    public string? Referrer { get; init; }
}

public sealed record Viewport(int Width, int Height);

public sealed record BrowserInfo
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? Platform { get; init; }
}

/// <summary>The element the visitor marked on the page.</summary>
public sealed record ElementInfo
{
    public string? Selector { get; init; }
    public string? Text { get; init; }
    public ElementRect? Rect { get; init; }
}

public sealed record ElementRect(double X, double Y, double Width, double Height);

public sealed record ConsoleLogEntry
{
    public string Level { get; init; } = "log";
    public string Message { get; init; } = "";
    public DateTimeOffset? Timestamp { get; init; }
}

public sealed record NetworkLogEntry
{
    public string? Method { get; init; }
    public string? Url { get; init; }
    public int? Status { get; init; }
    public double? DurationMs { get; init; }
    public IReadOnlyDictionary<string, string>? RequestHeaders { get; init; }
    public IReadOnlyDictionary<string, string>? ResponseHeaders { get; init; }
    public string? RequestBody { get; init; }
    public string? ResponseBody { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
}

/// <summary>What was cut from the captured logs to fit the limits; absent parts were kept whole.</summary>
public sealed record LogTruncation
{
    /// <summary>Oldest console entries dropped beyond the entry limit.</summary>
    public int ConsoleLogs { get; init; }

    /// <summary>Console entries whose message was cut to the per-entry size.</summary>
    public int ConsoleLogEntriesCut { get; init; }

    /// <summary>Oldest network entries dropped beyond the entry limit.</summary>
    public int NetworkLogs { get; init; }

    /// <summary>Request or response bodies cut to the body size.</summary>
    public int NetworkLogBodiesCut { get; init; }

    public bool Any => ConsoleLogs + ConsoleLogEntriesCut + NetworkLogs + NetworkLogBodiesCut > 0;
}
