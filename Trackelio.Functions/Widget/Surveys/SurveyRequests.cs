using System.Text.Json;
using System.Text.Json.Serialization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Widget.Idempotency;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Surveys;

/// <summary><c>GET /v1/widget/survey</c>: a survey by id, or the one the visitor's page is targeted by.</summary>
public sealed record SurveyQuery(string? Id, TargetingContext Context) : IQueryRequest<SurveyQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } = VisitorQuery.Declare(new QueryParameter("id", "This live survey (srv_…) instead of the targeted one."));

    public static SurveyQuery? Read(QueryReader query, FieldReader fields)
    {
        var id = query["id"];
        if (id is not null && !Ids.IsValid(id, Ids.Survey))
        {
            fields.Fail("id", "must be a survey id (srv_…)");
        }
        return new SurveyQuery(id, VisitorQuery.ContextOf(query));
    }
}

/// <summary>
/// <c>POST /v1/widget/survey/respond</c>: the answers to a survey (checked against its definition
/// once it is found), who and where; the optional <c>Idempotency-Key</c> makes a retry the same response.
/// </summary>
public sealed record SurveyAnswersRequest : IJsonRequest<SurveyAnswersRequest>
{
    public static long MaxBytes => 128 * 1024;

    public required string SurveyId { get; init; }

    /// <summary>At most 50 <c>{ question_id, value }</c>.</summary>
    public JsonElement? Answers { get; init; }

    public SubmitterInput? Submitter { get; init; }
    public PageInfo? Page { get; init; }
    public string? SessionToken { get; init; }

    [JsonIgnore]
    public string? IdempotencyKey { get; init; }

    public static ValueTask<SurveyAnswersRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var surveyId = fields.String(body, "survey_id", "survey_id", 64, required: true);
        var answers = fields.Array(body, "answers", "answers", 50);
        var submitter = SubmitterInput.Read(body, fields);
        var page = VisitorFields.ReadPage(body, fields);
        var session = fields.String(body, "session_token", "session_token", 256);
        var key = ActionKey.Read(http.Request, fields);
        return ValueTask.FromResult(surveyId is null ? null : new SurveyAnswersRequest
        {
            SurveyId = surveyId,
            Answers = answers,
            Submitter = submitter,
            Page = page,
            SessionToken = session,
            IdempotencyKey = key,
        });
    }
}
