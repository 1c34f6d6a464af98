using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Azure;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Azure.Storage.Queues;

namespace Trackelio.Functions.Webhooks;

/// <summary>
/// The <c>DeliverWebhook</c> queue function: one attempt of one delivery. It POSTs the payload,
/// signed (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), and records the
/// attempt. A 2xx is success; anything else (or a timeout) schedules the next attempt with
/// exponential backoff as a delayed queue message, and after the last attempt the delivery is
/// dead-lettered (<c>webhooks-dead</c>) and marked failed. Receivers drop duplicates by <c>webhook-id</c>.
/// </summary>
public sealed class WebhookDeliverer(IWebhookStore store, StorageAccount account, IHttpClientFactory clients, IOptions<WebhookOptions> options,
    TimeProvider time, ILogger<WebhookDeliverer> logger) : IQueueMessageHandler
{
    public const string FunctionName = "DeliverWebhook";
    public const string HttpClientName = "webhooks";
    private readonly WebhookOptions _options = options.Value;

    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        WebhookDeliveryMessage? request;
        try
        {
            request = JsonSerializer.Deserialize<WebhookDeliveryMessage>(message, TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException("Not a webhook delivery message: " + ex.Message, ex);
        }
        if (request is null || !Ids.IsValid(request.DeliveryId, Ids.WebhookDelivery))
        {
            throw new PoisonMessageException("The message names no delivery.");
        }

        var stored = await store.GetDeliveryAsync(request.WorkspaceId, request.DeliveryId, cancellationToken)
            ?? throw new PoisonMessageException($"Delivery {request.DeliveryId} does not exist.");
        var delivery = stored.Value;
        if (delivery.Status is "succeeded" or "failed" or "cancelled")
        {
            return; // a redelivered message for a finished delivery
        }

        var endpoint = await store.GetAsync(delivery.WorkspaceId, delivery.EndpointId, cancellationToken);
        if (endpoint is null || !endpoint.Enabled)
        {
            await store.UpdateDeliveryAsync(delivery with { Status = "cancelled", NextAttemptAt = null }, stored.ETag, cancellationToken);
            return;
        }

        var attempt = await SendAsync(endpoint, delivery, cancellationToken);
        var attempts = delivery.Attempts.Append(attempt).ToList();
        if (attempt.StatusCode is >= 200 and < 300)
        {
            await SaveAsync(delivery with { Status = "succeeded", Attempts = attempts, NextAttemptAt = null }, stored.ETag, cancellationToken);
            return;
        }

        if (attempts.Count >= _options.MaxAttempts)
        {
            await SaveAsync(delivery with { Status = "failed", Attempts = attempts, NextAttemptAt = null }, stored.ETag, cancellationToken);
            await account.GetQueueClient(StorageNames.Queues.WebhooksDead).SendMessageAsync(message, timeToLive: StorageNames.Queues.NeverExpires, cancellationToken: cancellationToken);
            logger.LogWarning("Webhook delivery {DeliveryId} to {Url} failed {Attempts} times and was dead-lettered", delivery.Id, endpoint.Url, attempts.Count);
            return;
        }

        var wait = _options.FirstRetryDelay * Math.Pow(_options.BackoffFactor, attempts.Count - 1);
        await SaveAsync(delivery with { Status = "retrying", Attempts = attempts, NextAttemptAt = time.GetUtcNow() + wait }, stored.ETag, cancellationToken);
        await account.GetQueueClient(StorageNames.Queues.Webhooks).SendMessageAsync(message, visibilityTimeout: wait, cancellationToken: cancellationToken);
    }

    private async Task<WebhookAttempt> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(endpoint.Secret, delivery.Id, now, delivery.Payload));
        request.Headers.UserAgent.ParseAdd("Trackelio-Webhooks/1.0");

        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return new WebhookAttempt(now, (int)response.StatusCode, null, stopwatch.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(now, null, ex is TaskCanceledException ? "timed out" : ex.Message, stopwatch.Elapsed.TotalMilliseconds);
        }
    }

    private Task SaveAsync(WebhookDelivery delivery, ETag etag, CancellationToken cancellationToken) =>
        store.UpdateDeliveryAsync(delivery, etag, cancellationToken);
}
