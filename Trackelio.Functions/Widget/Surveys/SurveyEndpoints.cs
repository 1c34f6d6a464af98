using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Widget.Idempotency;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Surveys;

/// <summary>A survey as the widget renders it: in one language, with what it needs and nothing else.</summary>
public sealed record WidgetSurvey(string Id, string Language, IReadOnlyList<WidgetQuestion> Questions, SurveyDisplay Display, DateTimeOffset? EndsAt);

public sealed record WidgetQuestion(string Id, string Type, bool Required, string Title, string? Description, IReadOnlyList<WidgetOption> Options, int? Min, int? Max);

public sealed record WidgetOption(string Id, string Label);

/// <summary>
/// <c>GET /v1/widget/survey</c> (the live survey for this site and visitor, or <c>?id=</c>; none → 204)
/// and <c>POST /v1/widget/survey/respond</c> (answers checked against the definition).
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class SurveyEndpoints
{

    /// <summary>
    /// The newest-published live survey of this widget whose targeting matches the visitor's
    /// <c>path</c>/<c>url</c>/<c>referrer</c>/<c>lang</c>/<c>user_id</c>/<c>email</c>/<c>custom.*</c>; or
    /// the live one named by <c>?id=</c>. Texts in <c>?lang=</c> when the survey has it, else its default.
    /// </summary>
    [Function("WidgetSurvey")]
    [EndpointSummary("Load the survey for this page")]
    public static async Task<Results<ApiResponse<WidgetSurvey>, NoContent>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "v1/widget/survey")] HttpRequest req, Query<SurveyQuery> request, HttpResponse response, CurrentWidget current, SurveyStore surveys, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (id, context) = request.Value;
        var now = time.GetUtcNow();
        var all = await surveys.CachedAsync(current.WorkspaceId, cancellationToken);
        var survey = id is not null
            ? all.FirstOrDefault(s => s.Id == id && s.RunsOn(current.WidgetId) && s.IsLiveAt(now))
            : all.Where(s => s.RunsOn(current.WidgetId) && s.IsLiveAt(now) && TargetingEngine.Matches(s.Targeting, context))
                .OrderByDescending(s => s.PublishedAt).FirstOrDefault();
        if (survey is null)
        {
            return TypedResults.NoContent();
        }
        response.Headers.CacheControl = "private, max-age=5";
        return ApiResults.Ok(ForWidget(survey, context["lang"]));
    }

    internal static WidgetSurvey ForWidget(Survey survey, string? requested)
    {
        var language = Localized.Resolve(requested, survey.DefaultLanguage,
            survey.Questions.SelectMany(q => new[] { q.Title }.Concat(q.Options.Select(o => o.Label))));
        return new WidgetSurvey(survey.Id, language, survey.Questions.Select(q => new WidgetQuestion(
                q.Id, q.Type, q.Required,
                Localized.Pick(q.Title, language, survey.DefaultLanguage)!,
                Localized.Pick(q.Description, language, survey.DefaultLanguage),
                q.Options.Select(o => new WidgetOption(o.Id, Localized.Pick(o.Label, language, survey.DefaultLanguage)!)).ToList(),
                q.Type switch { "rating" => q.Min ?? 1, "nps" => 0, _ => null },
                q.Type switch { "rating" => q.Max ?? 5, "nps" => 10, _ => null })).ToList(),
            survey.Display, survey.EndsAt);
    }

    [Function("WidgetSurveyRespond")]
    [EndpointSummary("Submit survey answers")]
    [ErrorResponses(StatusCodes.Status409Conflict)]
    public static async Task<Results<ApiCreated<ResponseAccepted>, ApiError>> Respond([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/survey/respond")] HttpRequest req, Body<SurveyAnswersRequest> request, CurrentWidget current, SurveyStore surveys, ResponseIntake intake,
        IIdempotencyStore idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var input = request.Value;
        var survey = Ids.IsValid(input.SurveyId, Ids.Survey) ? (await surveys.GetAsync(current.WorkspaceId, input.SurveyId, cancellationToken))?.Value : null;
        if (survey is null || !survey.RunsOn(current.WidgetId))
        {
            return ApiError.NotFound("No survey with that id for this widget.");
        }
        var now = time.GetUtcNow();
        if (!survey.IsLiveAt(now))
        {
            return ApiError.Conflict("survey_closed", "The survey is not taking answers.");
        }
        // The answers are checked against the survey, known only now.
        var fields = new FieldReader();
        var checkedAnswers = SurveyValidation.ValidateAnswers(survey, input.Answers, fields);
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        var id = await ActionKey.IdAsync(idempotency, current.WidgetId, "survey", input.IdempotencyKey, Ids.New(Ids.Response, now), cancellationToken);
        var accepted = await intake.AcceptAsync(new ResponseRecord
        {
            Id = id,
            WorkspaceId = current.WorkspaceId,
            WidgetId = current.WidgetId,
            Kind = "survey",
            SurveyId = survey.Id,
            Answers = checkedAnswers,
            Submitter = input.Submitter?.VerifiedFor(current.Widget),
            Page = input.Page,
            SessionToken = input.SessionToken,
            CreatedAt = now,
        }, cancellationToken);
        return ApiResults.Created($"/v1/responses/{accepted.Id}", accepted);
    }
}
