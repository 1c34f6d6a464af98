namespace Trackelio.Functions.Workspaces;

/// <summary>
/// The <c>data</c> of <c>GET /v1/widget/config</c>: the widget's configuration plus its
/// state. Nothing secret (identity secret, allowed origins) is in it.
/// </summary>
public sealed record PublicWidgetConfig
{
    public required string WidgetId { get; init; }
    public required bool Active { get; init; }

    /// <summary>When a paused widget comes back by itself; null when it is not paused or has no date.</summary>
    public DateTimeOffset? ResumeAt { get; init; }

    public required WidgetModules Modules { get; init; }
    public required WidgetTheme Theme { get; init; }
    public required WidgetLanguages Languages { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Texts { get; init; }
    public required WidgetTrigger Trigger { get; init; }
    public TargetingRule? Targeting { get; init; }
    public required IReadOnlyDictionary<string, bool> FeatureFlags { get; init; }
    public required WidgetLimits Limits { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public static PublicWidgetConfig From(SiteWidget widget, DateTimeOffset now)
    {
        var config = widget.Config;
        return new PublicWidgetConfig
        {
            WidgetId = widget.Id,
            Active = widget.IsLiveAt(now),
            ResumeAt = widget.IsPausedAt(now) ? widget.Pause?.ResumeAt : null,
            Modules = config.Modules,
            Theme = config.Theme,
            Languages = config.Languages,
            Texts = config.Texts,
            Trigger = config.Trigger,
            Targeting = config.Targeting,
            FeatureFlags = config.FeatureFlags,
            Limits = config.Limits,
            UpdatedAt = widget.UpdatedAt,
        };
    }
}
