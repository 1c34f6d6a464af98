using System.Text.Json;
using Trackelio.Functions.Feedback;

namespace Trackelio.Functions.Responses;

/// <summary>An NPS score, a CSAT rating or a set of survey answers a visitor gave.</summary>
public sealed record ResponseRecord
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string WidgetId { get; init; }

    /// <summary><c>nps</c>, <c>csat</c> or <c>survey</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The NPS score (0–10) or CSAT rating.</summary>
    public int? Score { get; init; }

    /// <summary>For NPS: <c>promoter</c> (9–10), <c>passive</c> (7–8) or <c>detractor</c> (0–6).</summary>
    public string? Category { get; init; }

    /// <summary>For CSAT: the scale the rating was given on.</summary>
    public int? ScaleMax { get; init; }

    public string? Comment { get; init; }
    public string? SurveyId { get; init; }
    public IReadOnlyList<SurveyAnswer> Answers { get; init; } = [];
    public Submitter? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public string? SessionToken { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static string NpsCategory(int score) => score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
}

/// <summary>One answer of a survey response: the question and the value given (a string, number or list, by question type).</summary>
public sealed record SurveyAnswer(string QuestionId, JsonElement Value);
