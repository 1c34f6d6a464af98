using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Queues;

namespace Trackelio.Functions.Webhooks;

/// <summary>Sends an event to every endpoint of the workspace that subscribed to it.</summary>
public interface IWebhookPublisher
{
    Task PublishAsync(string workspaceId, string eventType, object data, CancellationToken cancellationToken = default);
}

/// <summary>
/// Records one delivery per subscribed endpoint (the delivery log) and queues its first attempt;
/// the <c>DeliverWebhook</c> queue function sends it. Publishing never waits on a receiver.
/// </summary>
public sealed class WebhookPublisher(IWebhookStore store, WebhookEndpointCache endpoints, StorageAccount account, TimeProvider time) : IWebhookPublisher
{
    private readonly QueueClient _queue = account.GetQueueClient(StorageNames.Queues.Webhooks);

    public async Task PublishAsync(string workspaceId, string eventType, object data, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        string? payload = null;
        // The workspace's endpoints, cached per instance: publishing an event costs no read while fresh.
        foreach (var endpoint in await endpoints.GetAsync(workspaceId, async () => await store.ListAsync(workspaceId, cancellationToken).ToListAsync(cancellationToken)))
        {
            if (!endpoint.Enabled || !(endpoint.Events.Contains(eventType) || endpoint.Events.Contains("*")))
            {
                continue;
            }
            payload ??= WebhookPayload.Create(eventType, now, data);
            await QueueAsync(new WebhookDelivery
            {
                Id = Ids.New(Ids.WebhookDelivery, now),
                WorkspaceId = workspaceId,
                EndpointId = endpoint.Id,
                EventType = eventType,
                Payload = payload,
                CreatedAt = now,
            }, cancellationToken);
        }
    }

    /// <summary>Records the delivery and queues its first attempt (also used to replay one).</summary>
    public async Task QueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        await store.AddDeliveryAsync(delivery, cancellationToken);
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new WebhookDeliveryMessage(delivery.WorkspaceId, delivery.Id), TrackelioJson.Options),
            cancellationToken: cancellationToken);
    }
}
