using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;

namespace Trackelio.Functions.Widget.Submit;

/// <summary>What <c>POST /v1/widget/submit</c> answers: the id, and what was cut from the captured logs.</summary>
public sealed record SubmitAccepted(string Id, string Status, LogTruncation? Truncated);

/// <summary>
/// <c>POST /v1/widget/submit</c>: validates a feedback post, makes it durable in storage and
/// answers 202; the enrichment function finishes it. A retry with the same
/// <c>Idempotency-Key</c> (or <c>client_id</c>) gets the same id and ends as one record.
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class SubmitEndpoint
{
    public const string IdempotencyHeader = "Idempotency-Key";

    [Function("WidgetSubmit")]
    [EndpointSummary("Submit feedback")]
    public static async Task<ApiAccepted<SubmitAccepted>> Submit(Body<SubmitRequest> request, [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/submit")] HttpRequest httpRequest, CurrentWidget current, IIdempotencyStore idempotency,
        ISubmissionQueue queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var (submission, idempotencyKey) = request.Value;
        var now = time.GetUtcNow();
        var id = Ids.New(Ids.Feedback, now);
        if (idempotencyKey is not null)
        {
            id = await idempotency.ClaimAsync(current.WidgetId, idempotencyKey, id, cancellationToken);
        }

        // Enqueued again on a retry too: the first attempt may have failed before its message
        // was durable, and the enrichment writes each id once, so a second message changes nothing.
        await queue.EnqueueAsync(submission with
        {
            Id = id,
            ReceivedAt = Ids.TimeOf(id),
            Origin = Cors.WidgetCors.Origin(httpRequest),
        }, cancellationToken);

        return ApiResults.Accepted(new SubmitAccepted(id, "queued", submission.Truncated));
    }
}
