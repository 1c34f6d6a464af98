using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Widgets;

/// <summary>A widget as the management API shows it. The identity secret only when it is made or rotated.</summary>
public sealed record WidgetView
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary><c>active</c>, <c>paused</c> or <c>inactive</c> (switched off).</summary>
    public required string Status { get; init; }

    public required bool IsActive { get; init; }
    public required string Placement { get; init; }
    public required string TriggerType { get; init; }
    public required WidgetLanguages Languages { get; init; }
    public required WidgetTheme Theme { get; init; }
    public required IReadOnlyList<string> AllowedOrigins { get; init; }
    public required string ProjectKey { get; init; }
    public string? IdentitySecret { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public string? PauseReason { get; init; }
    public DateTimeOffset? ScheduledResume { get; init; }
    public required WidgetConfig Config { get; init; }
    public required IReadOnlyList<WidgetEvent> History { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public static WidgetView From(SiteWidget widget, DateTimeOffset now, bool withSecret = false)
    {
        var paused = widget.IsPausedAt(now);
        return new WidgetView
        {
            Id = widget.Id,
            Name = widget.Name,
            Status = !widget.IsActive ? "inactive" : paused ? "paused" : "active",
            IsActive = widget.IsActive,
            Placement = widget.Config.Theme.Position,
            TriggerType = widget.Config.Trigger.Type,
            Languages = widget.Config.Languages,
            Theme = widget.Config.Theme,
            AllowedOrigins = widget.AllowedOrigins,
            ProjectKey = widget.ProjectKey,
            IdentitySecret = withSecret ? widget.IdentitySecret : null,
            PausedAt = paused ? widget.Pause?.PausedAt : null,
            PauseReason = paused ? widget.Pause?.Reason : null,
            ScheduledResume = paused ? widget.Pause?.ResumeAt : null,
            Config = widget.Config,
            History = widget.History,
            CreatedAt = widget.CreatedAt,
            UpdatedAt = widget.UpdatedAt,
        };
    }
}
