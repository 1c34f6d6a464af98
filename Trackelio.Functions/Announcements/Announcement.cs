using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Announcements;

/// <summary>
/// News the team shows on its site: <c>draft</c> until published, then live within
/// <see cref="StartsAt"/> ≤ now &lt; <see cref="EndsAt"/> (either may be open). Texts are per
/// language; the body is plain text or the safe Markdown subset (<see cref="SafeMarkdown"/>).
/// </summary>
public sealed record Announcement
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public string? WidgetId { get; init; }

    /// <summary><c>draft</c> or <c>published</c>.</summary>
    public string Status { get; init; } = "draft";

    public string DefaultLanguage { get; init; } = "en";
    public required IReadOnlyDictionary<string, string> Title { get; init; }
    public required IReadOnlyDictionary<string, string> Body { get; init; }
    public string? LinkUrl { get; init; }
    public IReadOnlyDictionary<string, string>? LinkLabel { get; init; }
    public string? ImageUrl { get; init; }

    /// <summary><c>banner</c>, <c>modal</c>, <c>toast</c> or <c>feed</c> (in the widget's news list).</summary>
    public string Style { get; init; } = "feed";

    public TargetingRule? Targeting { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }

    public static readonly string[] Styles = ["banner", "modal", "toast", "feed"];

    public bool IsLiveAt(DateTimeOffset now) =>
        Status == "published" && (StartsAt is null || StartsAt <= now) && (EndsAt is null || now < EndsAt);

    public bool RunsOn(string widgetId) => WidgetId is null || WidgetId == widgetId;
}
