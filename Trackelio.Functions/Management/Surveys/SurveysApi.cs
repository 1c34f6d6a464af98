using Microsoft.Azure.Functions.Worker;
using SurveyAnswer = Microsoft.AspNetCore.Http.HttpResults.Results<Trackelio.Functions.Api.ApiResponse<Trackelio.Functions.Surveys.Survey>, Trackelio.Functions.Api.ApiError>;
using SurveyCreated = Microsoft.AspNetCore.Http.HttpResults.Results<Trackelio.Functions.Api.ApiCreated<Trackelio.Functions.Surveys.Survey>, Trackelio.Functions.Api.ApiError>;
using SurveyDeleted = Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.NoContent, Trackelio.Functions.Api.ApiError>;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Surveys;

/// <summary>
/// <c>/v1/surveys</c>: define surveys (draft → live → closed), with targeting, schedule and
/// display settings; a live survey's questions may grow but not change in a way that breaks
/// the answers it has. Results summarise each question.
/// </summary>
[ApiKeyAuth]
[Tags("Surveys")]
public static class SurveysApi
{

    [Function("ListSurveys")]
    [EndpointSummary("List surveys")]
    public static async Task<ApiResponse<IReadOnlyList<Survey>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/surveys")] HttpRequest req, CurrentMember member, SurveyStore store, CancellationToken cancellationToken) =>
        ApiResults.List((await store.ListAsync(member.WorkspaceId, cancellationToken)).OrderByDescending(s => s.CreatedAt).ToList());

    [Function("GetSurvey")]
    [EndpointSummary("Get a survey")]
    public static async Task<SurveyAnswer> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/surveys/{id}")] HttpRequest req, string id, CurrentMember member, SurveyStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, member, store, cancellationToken) is { } stored ? ApiResults.Ok(stored.Value) : NotFound();

    [Function("CreateSurvey")]
    [EndpointSummary("Create a survey (as a draft)")]
    public static async Task<SurveyCreated> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/surveys")] HttpRequest req, Body<SurveyInput> request, CurrentMember member, SurveyStore store, IWidgetStore widgets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var input = request.Value;
        var now = time.GetUtcNow();
        var survey = Apply(new Survey { Id = Ids.New(Ids.Survey, now), WorkspaceId = member.WorkspaceId, Name = "", CreatedAt = now, UpdatedAt = now }, input);
        var fields = new FieldReader();
        await CheckWidgetAsync(survey.WidgetId, member, widgets, fields, cancellationToken);
        SurveyValidation.ValidateDefinition(survey, fields);
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        await store.AddAsync(survey, cancellationToken);
        return ApiResults.Created($"/v1/surveys/{survey.Id}", survey);
    }

    [Function("UpdateSurvey")]
    [EndpointSummary("Change a survey")]
    public static async Task<SurveyAnswer> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/surveys/{id}")] HttpRequest req, string id, Body<SurveyInput> request, CurrentMember member, SurveyStore store, IWidgetStore widgets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var input = request.Value;
        return await ChangeAsync(id, member, store, cancellationToken, async (survey, fields) =>
        {
            var changed = Apply(survey, input) with { UpdatedAt = time.GetUtcNow() };
            await CheckWidgetAsync(changed.WidgetId, member, widgets, fields, cancellationToken);
            SurveyValidation.ValidateDefinition(changed, fields);
            if (survey.Status != "draft")
            {
                SurveyValidation.ValidateChangeOfLive(survey, changed, fields);
            }
            return changed;
        });
    }

    [Function("PublishSurvey")]
    [EndpointSummary("Make a survey live")]
    public static Task<SurveyAnswer> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/surveys/{id}/publish")] HttpRequest req, string id, CurrentMember member, SurveyStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(id, member, store, cancellationToken, (survey, fields) =>
        {
            if (survey.Questions.Count == 0)
            {
                fields.Fail("questions", "a survey needs at least one question to go live");
            }
            return Task.FromResult(survey with { Status = "live", PublishedAt = survey.PublishedAt ?? time.GetUtcNow(), ClosedAt = null, UpdatedAt = time.GetUtcNow() });
        });

    [Function("CloseSurvey")]
    [EndpointSummary("Stop a survey taking answers")]
    public static Task<SurveyAnswer> Close([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/surveys/{id}/close")] HttpRequest req, string id, CurrentMember member, SurveyStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(id, member, store, cancellationToken, (survey, _) =>
            Task.FromResult(survey with { Status = "closed", ClosedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() }));

    [Function("DeleteSurvey")]
    [EndpointSummary("Delete a survey (its responses stay)")]
    public static async Task<SurveyDeleted> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/surveys/{id}")] HttpRequest req, string id, CurrentMember member, SurveyStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is null)
        {
            return NotFound();
        }
        await store.DeleteAsync(member.WorkspaceId, id, cancellationToken);
        return TypedResults.NoContent();
    }

    [Function("SurveyResults")]
    [ProducesResponseType<Envelope<SurveyResults>>(200)]
    [EndpointSummary("Per-question results")]
    public static async Task<IResult> Results([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/surveys/{id}/results")] HttpRequest req, string id, CurrentMember member, SurveyStore store, SurveyResultsReader results, CancellationToken cancellationToken) =>
        await FindAsync(id, member, store, cancellationToken) is { } stored ? ApiResults.Ok(await results.ReadAsync(stored.Value, cancellationToken)) : NotFound();

    private static Survey Apply(Survey survey, SurveyInput input) => survey with
    {
        Name = input.Name ?? survey.Name,
        WidgetId = input.WidgetId ?? survey.WidgetId,
        DefaultLanguage = input.DefaultLanguage ?? survey.DefaultLanguage,
        Questions = input.Questions ?? survey.Questions,
        Targeting = input.Targeting ?? survey.Targeting,
        Display = input.Display ?? survey.Display,
        StartsAt = input.StartsAt ?? survey.StartsAt,
        EndsAt = input.EndsAt ?? survey.EndsAt,
    };

    private static async Task CheckWidgetAsync(string? widgetId, CurrentMember member, IWidgetStore widgets, FieldReader fields, CancellationToken cancellationToken)
    {
        if (widgetId is not null && (!Ids.IsValid(widgetId, Ids.Widget) || await widgets.GetAsync(member.WorkspaceId, widgetId, cancellationToken) is null))
        {
            fields.Fail("widget_id", "must be a widget of this workspace");
        }
    }

    private static async Task<SurveyAnswer> ChangeAsync(string id, CurrentMember member, SurveyStore store, CancellationToken cancellationToken,
        Func<Survey, FieldReader, Task<Survey>> change)
    {
        if (!Ids.IsValid(id, Ids.Survey))
        {
            return NotFound();
        }
        var (changed, errors) = await store.ChangeAsync(member.WorkspaceId, id, change, cancellationToken);
        return changed is null ? NotFound() : errors.Count > 0 ? ApiError.Validation(errors) : ApiResults.Ok(changed);
    }

    private static async Task<Storage.Tables.Stored<Survey>?> FindAsync(string id, CurrentMember member, SurveyStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Survey) ? await store.GetAsync(member.WorkspaceId, id, cancellationToken) : null;

    private static ApiError NotFound() => ApiError.NotFound("No survey with that id.");
}
