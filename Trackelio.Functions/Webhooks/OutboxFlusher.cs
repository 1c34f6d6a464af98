using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Webhooks;

/// <summary>
/// The <c>FlushEventOutbox</c> queue function (queue <c>webhook-outbox</c>): a write's delayed flush
/// message. If the write's outbox row is still there, its event is published now (see <see cref="EventOutbox"/>).
/// A queue of its own rather than a second message kind on <c>webhooks</c>: <c>DeliverWebhook</c>
/// keeps one message shape with its own retry and dead-letter rules, and each queue's poison
/// messages say what they are.
/// </summary>
public sealed class OutboxFlusher(EventOutbox outbox) : IQueueMessageHandler
{
    public const string FunctionName = "FlushEventOutbox";

    public Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        OutboxEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<OutboxEntry>(message, TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException("Not an outbox flush message: " + ex.Message, ex);
        }
        // Only outbox rows of the app's own tables: a message never makes it read or delete anything else.
        if (entry is null || !StorageNames.Tables.All.Contains(entry.Table) || string.IsNullOrEmpty(entry.Partition)
            || entry.RowKey is null || !entry.RowKey.StartsWith(EventOutbox.RowPrefix, StringComparison.Ordinal))
        {
            throw new PoisonMessageException("The message names no outbox row.");
        }
        return outbox.FlushAsync(entry, cancellationToken);
    }
}
