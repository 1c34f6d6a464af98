using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Surveys;

/// <summary>
/// A survey the team defines and the widget shows. <c>draft</c> until published, then
/// <c>live</c> (within <see cref="StartsAt"/>…<see cref="EndsAt"/> when set), until closed.
/// Texts are per language; <see cref="DefaultLanguage"/> must always be there.
/// </summary>
public sealed record Survey
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>The widget (site) it runs on; null for every widget of the workspace.</summary>
    public string? WidgetId { get; init; }

    public required string Name { get; init; }

    /// <summary><c>draft</c>, <c>live</c> or <c>closed</c>.</summary>
    public string Status { get; init; } = "draft";

    public string DefaultLanguage { get; init; } = "en";
    public IReadOnlyList<SurveyQuestion> Questions { get; init; } = [];
    public TargetingRule? Targeting { get; init; }
    public SurveyDisplay Display { get; init; } = new();
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }

    public bool IsLiveAt(DateTimeOffset now) =>
        Status == "live" && (StartsAt is null || StartsAt <= now) && (EndsAt is null || now < EndsAt);

    public bool RunsOn(string widgetId) => WidgetId is null || WidgetId == widgetId;
}

/// <summary>One question: <c>single_choice</c>, <c>multiple_choice</c>, <c>text</c>, <c>rating</c> (Min…Max) or <c>nps</c> (0–10).</summary>
public sealed record SurveyQuestion
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public bool Required { get; init; }

    /// <summary>The question, per language.</summary>
    public required IReadOnlyDictionary<string, string> Title { get; init; }

    public IReadOnlyDictionary<string, string>? Description { get; init; }
    public IReadOnlyList<SurveyOption> Options { get; init; } = [];
    public int? Min { get; init; }
    public int? Max { get; init; }

    public static readonly string[] Types = ["single_choice", "multiple_choice", "text", "rating", "nps"];
}

public sealed record SurveyOption(string Id, IReadOnlyDictionary<string, string> Label);

/// <summary>How the widget shows the survey.</summary>
public sealed record SurveyDisplay
{
    /// <summary><c>bottom-right</c>, <c>bottom-left</c>, <c>center</c> or <c>inline</c>.</summary>
    public string Position { get; init; } = "bottom-right";

    public int DelaySeconds { get; init; }

    /// <summary><c>once</c> (never again after answering or dismissing), <c>until_answered</c> or <c>every_visit</c>.</summary>
    public string Frequency { get; init; } = "once";
}
