using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Azure.Storage.Queues;

namespace Trackelio.Functions.Webhooks;

/// <summary>
/// An event a stored change causes. <see cref="SourceId"/> names the change itself (the id of
/// what was created; for a change to something, its id and version), so the same change always
/// makes the same event, and publishing it again makes no second delivery.
/// </summary>
public sealed record DomainEvent(string WorkspaceId, string Type, string SourceId, DateTimeOffset OccurredAt, object Data);

/// <summary>Sends an event to every endpoint of the workspace that subscribed to it.</summary>
public interface IWebhookPublisher
{
    /// <summary>
    /// Records one delivery per subscribed endpoint and queues it. Idempotent: each endpoint's
    /// delivery id (the <c>webhook-id</c>) is derived from (source, event, endpoint), so a retry
    /// after a failure part-way, or a redelivered queue message, never sends an event twice.
    /// Throws when storage fails: for work that is retried until it succeeds (a queue message, or
    /// the events a request stored with its change: see <see cref="EventOutbox"/>).
    /// </summary>
    Task PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default);
}

/// <summary>
/// Records one delivery per subscribed endpoint (the delivery log) and queues its first attempt;
/// the <c>DeliverWebhook</c> queue function sends it. Publishing never waits on a receiver.
/// </summary>
public sealed class WebhookPublisher(IWebhookStore store, WebhookEndpointCache endpoints, StorageAccount account)
    : IWebhookPublisher
{
    /// <summary>
    /// The largest payload sent whole. A larger event is sent thin (its short top-level fields and
    /// <c>"truncated": true</c>; the receiver reads the rest from the API), so that a delivery is
    /// always small enough to store.
    /// </summary>
    public const int MaxPayloadBytes = 256 * 1024;

    public const int MaxThinFieldBytes = 1024;
    private readonly QueueClient _queue = account.GetQueueClient(StorageNames.Queues.Webhooks);

    public async Task PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        string? payload = null;
        // The workspace's endpoints, cached per instance: publishing an event costs no read while fresh.
        var workspaceId = domainEvent.WorkspaceId;
        foreach (var endpoint in await endpoints.GetAsync(workspaceId, async () => await store.ListAsync(workspaceId, cancellationToken).ToListAsync(cancellationToken)))
        {
            if (!endpoint.Enabled || !(endpoint.Events.Contains(domainEvent.Type) || endpoint.Events.Contains("*")))
            {
                continue;
            }
            payload ??= WebhookPayload.Create(domainEvent, MaxPayloadBytes, MaxThinFieldBytes);
            await QueueAsync(new WebhookDelivery
            {
                Id = DeliveryId(domainEvent, endpoint.Id),
                WorkspaceId = domainEvent.WorkspaceId,
                EndpointId = endpoint.Id,
                EventType = domainEvent.Type,
                Payload = payload,
                CreatedAt = domainEvent.OccurredAt,
            }, cancellationToken);
        }
    }

    /// <summary>The delivery of this event to this endpoint: the same on every retry.</summary>
    public static string DeliveryId(DomainEvent domainEvent, string endpointId) =>
        Ids.Deterministic(Ids.WebhookDelivery, domainEvent.OccurredAt, Encoding.UTF8.GetBytes($"{domainEvent.SourceId}|{domainEvent.Type}|{endpointId}"));

    /// <summary>
    /// Records the delivery and queues its first attempt (also used to replay one). A delivery
    /// recorded before is queued again only while nothing has been tried yet (its first message
    /// may have been lost); one under way or finished is left alone.
    /// </summary>
    public async Task QueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await store.AddDeliveryAsync(delivery, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            if (await store.GetDeliveryAsync(delivery.WorkspaceId, delivery.Id, cancellationToken) is not { Value: { Status: "pending", Attempts.Count: 0 } })
            {
                return;
            }
        }
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new WebhookDeliveryMessage(delivery.WorkspaceId, delivery.Id), TrackelioJson.Options),
            cancellationToken: cancellationToken);
    }
}

internal static class WebhookPayload
{
    /// <summary><c>{ "type", "timestamp", "data" }</c>; thin when whole it would be larger than <paramref name="maxBytes"/>.</summary>
    public static string Create(DomainEvent domainEvent, int maxBytes, int maxFieldBytes)
    {
        var whole = Serialize(domainEvent, domainEvent.Data);
        return Encoding.UTF8.GetByteCount(whole) <= maxBytes ? whole : Serialize(domainEvent, Thin(domainEvent, maxFieldBytes));
    }

    /// <summary>The event's data as it is sent: whole, or thin when the whole payload would be larger than <paramref name="maxBytes"/>.</summary>
    public static object Data(DomainEvent domainEvent, int maxBytes, int maxFieldBytes) =>
        Encoding.UTF8.GetByteCount(Serialize(domainEvent, domainEvent.Data)) <= maxBytes ? domainEvent.Data : Thin(domainEvent, maxFieldBytes);

    private static JsonObject Thin(DomainEvent domainEvent, int maxFieldBytes)
    {
        var thin = new JsonObject();
        if (JsonSerializer.SerializeToNode(domainEvent.Data, TrackelioJson.Options) is JsonObject data)
        {
            foreach (var (name, value) in data)
            {
                if (value is JsonValue && Encoding.UTF8.GetByteCount(value.ToJsonString()) <= maxFieldBytes)
                {
                    thin[name] = value.DeepClone();
                }
            }
        }
        thin["truncated"] = true;
        return thin;
    }

    private static string Serialize(DomainEvent domainEvent, object? data) =>
        JsonSerializer.Serialize(new { type = domainEvent.Type, timestamp = domainEvent.OccurredAt, data }, TrackelioJson.Options);
}
