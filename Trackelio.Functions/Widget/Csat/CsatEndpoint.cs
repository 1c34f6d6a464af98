using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Widget.Idempotency;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Csat;

/// <summary>
/// <c>POST /v1/widget/csat</c>: a customer-satisfaction rating on the widget's scale (1–5 by
/// default; the config may set 1–3, 1–7 or 1–10), an optional <c>comment</c>, submitter, page. → 201.
/// A retry with the same <c>Idempotency-Key</c> gets the first answer's id and stores nothing more.
/// </summary>
public static class CsatEndpoint
{
    public static RouteHandlerBuilder MapWidgetCsat(this IEndpointRouteBuilder widget) =>
        widget.MapPost("/csat", Submit)
            .WithName("WidgetCsat")
            .WithSummary("Submit a CSAT response")
            .Produces<Envelope<ResponseAccepted>>(StatusCodes.Status201Created);

    public static async Task<IResult> Submit(HttpRequest request, CurrentWidget current, ResponseIntake intake, IIdempotencyStore idempotency, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var widget = current.Widget;
        var module = widget.Config.Modules.Csat;
        if (!module.Enabled)
        {
            return ApiError.Forbidden("module_disabled", "CSAT is not enabled for this widget.");
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
            var rating = fields.Int(body, "rating", "rating", module.ScaleMin, module.ScaleMax, required: true);
            var comment = fields.String(body, "comment", "comment", 2000);
            var submitter = VisitorFields.ReadSubmitter(body, widget, fields);
            var page = VisitorFields.ReadPage(body, fields);
            var session = fields.String(body, "session_token", "session_token", 256);
            var key = ActionKey.Read(request, fields);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            var now = time.GetUtcNow();
            var id = await ActionKey.IdAsync(idempotency, widget.Id, "csat", key, Ids.New(Ids.Response, now), cancellationToken);
            var accepted = await intake.AcceptAsync(new ResponseRecord
            {
                Id = id,
                WorkspaceId = widget.WorkspaceId,
                WidgetId = widget.Id,
                Kind = "csat",
                Score = rating,
                ScaleMax = module.ScaleMax,
                Comment = comment,
                Submitter = submitter,
                Page = page,
                SessionToken = session,
                CreatedAt = now,
            }, cancellationToken);
            return ApiResults.Created($"/v1/responses/{accepted.Id}", accepted);
        }
    }
}
