using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Widget.Idempotency;
using Trackelio.Functions.Widget.Modules;

namespace Trackelio.Functions.Widget.Csat;

/// <summary>
/// <c>POST /v1/widget/csat</c>: a customer-satisfaction rating on the widget's scale (1–5 by
/// default; the config may set 1–3, 1–7 or 1–10), an optional <c>comment</c>, submitter, page. → 201.
/// A retry with the same <c>Idempotency-Key</c> gets the first answer's id and stores nothing more.
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class CsatEndpoint
{

    [Function("WidgetCsat")]
    [EndpointSummary("Submit a CSAT response")]
    [WidgetModule(WidgetModule.Csat)]
    public static async Task<ApiCreated<ResponseAccepted>> Submit([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/csat")] HttpRequest req, Body<CsatRequest> request, CurrentWidget current, ResponseIntake intake, IIdempotencyStore idempotency, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var csat = request.Value;
        var widget = current.Widget;
        var now = time.GetUtcNow();
        var id = await ActionKey.IdAsync(idempotency, widget.Id, "csat", csat.IdempotencyKey, Ids.New(Ids.Response, now), cancellationToken);
        var accepted = await intake.AcceptAsync(new ResponseRecord
        {
            Id = id,
            WorkspaceId = widget.WorkspaceId,
            WidgetId = widget.Id,
            Kind = "csat",
            Score = csat.Rating,
            ScaleMax = widget.Config.Modules.Csat.ScaleMax,
            Comment = csat.Comment,
            Submitter = csat.Submitter?.VerifiedFor(widget),
            Page = csat.Page,
            SessionToken = csat.SessionToken,
            CreatedAt = now,
        }, cancellationToken);
        return ApiResults.Created($"/v1/responses/{accepted.Id}", accepted);
    }
}
