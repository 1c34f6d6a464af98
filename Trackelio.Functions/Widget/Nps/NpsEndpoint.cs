using Trackelio.Functions.Api;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Nps;

/// <summary>
/// <c>POST /v1/widget/nps</c>: a Net Promoter Score. <c>score</c> must be an integer 0–10 (not
/// 7.5, not "7"); optional <c>comment</c> (≤ 2,000), submitter, page, <c>session_token</c>.
/// One response per identified user (else per session) per the widget's period (90 days by
/// default; 0 turns it off): a second one is 409 <c>already_responded</c> with <c>next_eligible_at</c>.
/// → 201 with the id and the category (promoter 9–10, passive 7–8, detractor 0–6).
/// </summary>
public static class NpsEndpoint
{
    public static RouteHandlerBuilder MapWidgetNps(this IEndpointRouteBuilder widget) =>
        widget.MapPost("/nps", Submit)
            .WithName("WidgetNps")
            .WithSummary("Submit an NPS response")
            .Produces<Envelope<ResponseAccepted>>(StatusCodes.Status201Created)
            .WithErrorResponses(StatusCodes.Status409Conflict);

    public static async Task<IResult> Submit(HttpRequest request, CurrentWidget current, ResponseIntake intake, IResponseLimits limits, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var widget = current.Widget;
        var module = widget.Config.Modules.Nps;
        if (!module.Enabled)
        {
            return ApiError.Forbidden("module_disabled", "NPS is not enabled for this widget.");
        }
        var (document, error) = await JsonBody.ReadAsync(request, 16 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var body = document!.RootElement;
            var fields = new FieldReader();
            var score = fields.Int(body, "score", "score", 0, 10, required: true);
            var comment = fields.String(body, "comment", "comment", 2000);
            var submitter = VisitorFields.ReadSubmitter(body, widget, fields);
            var page = VisitorFields.ReadPage(body, fields);
            var session = fields.String(body, "session_token", "session_token", 256);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }

            var now = time.GetUtcNow();
            var subject = submitter?.UserId is { } userId ? "user:" + userId : session is not null ? "session:" + session : null;
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
                Score = score,
                Category = ResponseRecord.NpsCategory(score!.Value),
                Comment = comment,
                Submitter = submitter,
                Page = page,
                SessionToken = session,
                CreatedAt = now,
            };
            // Given back only if the response is not stored: then the visitor may answer again.
            var accepted = await intake.AcceptAsync(response, cancellationToken, subject is not null && module.FrequencyDays > 0
                ? () => limits.ReleaseAsync(widget.Id, "nps", subject, CancellationToken.None)
                : null);
            return ApiResults.Created($"/v1/responses/{accepted.Id}", accepted);
        }
    }
}
