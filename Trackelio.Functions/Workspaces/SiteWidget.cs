namespace Trackelio.Functions.Workspaces;

/// <summary>
/// A site's widget: how it looks and behaves (<see cref="Config"/>), which origins may use
/// it, its public project key and its identity secret (for <c>user_hash</c> verification).
/// </summary>
public sealed record SiteWidget
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; init; }
    public required string ProjectKey { get; init; }
    public required string IdentitySecret { get; init; }

    /// <summary>Exact origins (<c>https://shop.example</c>), wildcards (<c>https://*.example.com</c>) or <c>*</c>.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    public bool IsActive { get; init; } = true;
    public WidgetPause? Pause { get; init; }
    public required WidgetConfig Config { get; init; }

    /// <summary>Pauses, resumes, key rotations: who did what and when.</summary>
    public IReadOnlyList<WidgetEvent> History { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether the widget takes submissions at <paramref name="now"/>: active and not paused (or past its resume time).</summary>
    public bool IsLiveAt(DateTimeOffset now) => IsActive && !IsPausedAt(now);

    public bool IsPausedAt(DateTimeOffset now) => Pause is { } pause && (pause.ResumeAt is null || pause.ResumeAt > now);
}

/// <summary>Something that happened to a widget.</summary>
public sealed record WidgetEvent(string Action, string Actor, DateTimeOffset At, string? Detail = null);

/// <summary>Why and until when a widget is paused.</summary>
public sealed record WidgetPause(string? Reason, DateTimeOffset PausedAt, DateTimeOffset? ResumeAt);
