using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Surveys;

/// <summary>
/// The fields a survey is created (<c>POST /v1/surveys</c>) or changed (<c>PATCH /v1/surveys/{id}</c>)
/// with; a PATCH replaces the fields it names. Read by the serializer; the rules of a definition
/// (<see cref="SurveyValidation"/>) are checked on the survey it makes, with the stored one on a PATCH.
/// </summary>
public sealed record SurveyInput : IJsonRequest<SurveyInput>
{
    public static long MaxBytes => 256 * 1024;

    public string? Name { get; init; }
    public string? WidgetId { get; init; }
    public string? DefaultLanguage { get; init; }
    public List<SurveyQuestion>? Questions { get; init; }
    public TargetingRule? Targeting { get; init; }
    public SurveyDisplay? Display { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }

    public static ValueTask<SurveyInput?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http) =>
        ValueTask.FromResult(JsonRequest.Deserialize<SurveyInput>(body, fields));
}
