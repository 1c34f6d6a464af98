using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Webhooks;

/// <summary>The queue-triggered functions of webhook delivery: the outbox flush and each delivery.</summary>
public sealed class WebhookFunctions(QueueFunctionRunner runner)
{
    [Function(OutboxFlusher.FunctionName)]
    public Task FlushOutbox([QueueTrigger(StorageNames.Queues.WebhookOutbox)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(OutboxFlusher.FunctionName, message, context, cancellationToken);

    [Function(WebhookDeliverer.FunctionName)]
    public Task Deliver([QueueTrigger(StorageNames.Queues.Webhooks)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(WebhookDeliverer.FunctionName, message, context, cancellationToken);
}
