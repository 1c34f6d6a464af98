using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Widget.Modules;

namespace Trackelio.Functions.Widget.Nps;

/// <summary>
/// <c>POST /v1/widget/nps</c>: a Net Promoter Score. <c>score</c> must be an integer 0–10 (not
/// 7.5, not "7"); optional <c>comment</c> (≤ 2,000), submitter, page, <c>session_token</c>.
/// One response per identified user (else per session) per the widget's period (90 days by
/// default; 0 turns it off): a second one is 409 <c>already_responded</c> with <c>next_eligible_at</c>.
/// → 201 with the id and the category (promoter 9–10, passive 7–8, detractor 0–6).
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class NpsEndpoint
{

    [Function("WidgetNps")]
    [EndpointSummary("Submit an NPS response")]
    [WidgetModule(WidgetModule.Nps)]
    [ErrorResponses(StatusCodes.Status409Conflict)]
    public static async Task<Results<ApiCreated<ResponseAccepted>, ApiError>> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/nps")] HttpRequest req, Body<NpsRequest> request, CurrentWidget current, ResponseIntake intake, IResponseLimits limits, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var nps = request.Value;
        var widget = current.Widget;
        var module = widget.Config.Modules.Nps;
        var now = time.GetUtcNow();
        var submitter = nps.Submitter?.VerifiedFor(widget);
        var subject = submitter?.UserId is { } userId ? "user:" + userId : nps.SessionToken is { } session ? "session:" + session : null;
        if (module.FrequencyDays > 0 && subject is not null
            && await limits.TryClaimAsync(widget.Id, "nps", subject, now, TimeSpan.FromDays(module.FrequencyDays), cancellationToken) is { } next)
        {
            return ApiError.Conflict("already_responded", "This visitor already answered the NPS question in this period.").With("next_eligible_at", next);
        }

        var response = new ResponseRecord
        {
            Id = Ids.New(Ids.Response, now),
            WorkspaceId = widget.WorkspaceId,
            WidgetId = widget.Id,
            Kind = "nps",
            Score = nps.Score,
            Category = ResponseRecord.NpsCategory(nps.Score),
            Comment = nps.Comment,
            Submitter = submitter,
            Page = nps.Page,
            SessionToken = nps.SessionToken,
            CreatedAt = now,
        };
        // Given back only if the response is not stored: then the visitor may answer again.
        var accepted = await intake.AcceptAsync(response, cancellationToken, subject is not null && module.FrequencyDays > 0
            ? () => limits.ReleaseAsync(widget.Id, "nps", subject, CancellationToken.None)
            : null);
        return ApiResults.Created($"/v1/responses/{accepted.Id}", accepted);
    }
}
