using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Responses;

/// <summary>What the widget's NPS, CSAT and survey endpoints answer.</summary>
public sealed record ResponseAccepted(string Id, string Kind, int? Score, string? Category, DateTimeOffset CreatedAt);

/// <summary>Stores a response and announces it (<c>response.created</c>).</summary>
public sealed class ResponseIntake(IResponseStore store, IWebhookPublisher webhooks)
{
    public async Task<ResponseAccepted> AcceptAsync(ResponseRecord response, CancellationToken cancellationToken)
    {
        await store.CreateAsync(response, cancellationToken);
        await webhooks.PublishAfterWriteAsync(new DomainEvent(response.WorkspaceId, WebhookEvents.ResponseCreated, response.Id, response.CreatedAt, response), cancellationToken);
        return new ResponseAccepted(response.Id, response.Kind, response.Score, response.Category, response.CreatedAt);
    }
}
