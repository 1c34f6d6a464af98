using System.Text.Json;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Azure.Storage.Queues;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;
using Trackelio.Functions.Mail;

namespace Trackelio.Functions.Webhooks;

/// <summary>Where an event recorded with a write is kept until it is published: a row beside the change.</summary>
public sealed record OutboxEntry(string Table, string Partition, string RowKey);

/// <summary>The events of one write and the mails it causes, as its outbox row keeps them.</summary>
public sealed record OutboxRow(IReadOnlyList<OutboxEvent> Events)
{
    public IReadOnlyList<MailIntent> Mails { get; init; } = [];
}

/// <summary>
/// An event as the outbox keeps it: the <see cref="DomainEvent"/> with its data as it is sent (thin when
/// large), and its time in ticks (JSON times keep milliseconds; the delivery id must come out the same).
/// </summary>
public sealed record OutboxEvent(string WorkspaceId, string Type, string SourceId, long OccurredAtUtcTicks, JsonElement Data)
{
    public DomainEvent ToDomainEvent() => new(WorkspaceId, Type, SourceId, new DateTimeOffset(OccurredAtUtcTicks, TimeSpan.Zero), Data);
}

/// <summary>
/// Makes the events of request handlers durable (a transactional outbox). A store that writes a
/// change with an event:
/// <list type="number">
/// <item><see cref="OpenAsync"/> before the write: queues a delayed flush message naming the
/// outbox row the write will add (<see cref="WebhookOptions.OutboxFlushDelay"/>). If that fails the
/// request fails (503) with nothing changed.</item>
/// <item>adds <see cref="Record"/> to the write's entity-group transaction: row
/// <c>outbox|{id}</c> in the changed row's table and partition. The event exists exactly when the
/// change does.</item>
/// <item><see cref="PublishAsync"/> after the write: publishes at once and deletes the row; a failure
/// is only logged, the request succeeded.</item>
/// </list>
/// A write's mails (<see cref="MailIntent"/>: an invitation, a notification) ride in the same row and are
/// published the same way, to <see cref="MailPublisher"/>, which is as idempotent (mail ids derive from
/// source, kind and recipient): an acknowledged invitation is never without its mail.
/// When the flush message comes (<see cref="OutboxFlusher"/>) and the row is still there, the event
/// was not (known to be) published: it is published then, and the row deleted. Publishing is
/// idempotent (delivery ids derive from source, event and endpoint), so an event published both
/// at once and by the flush is still delivered once, with one <c>webhook-id</c>. No table is ever
/// scanned for leftovers: every outbox row has its flush message queued before it can exist.
/// The flush delay must outlast the write (a request's storage budget is seconds, the delay a
/// minute): a flush that finds no row takes that to mean the write failed.
/// </summary>
public sealed class EventOutbox(StorageAccount account, IWebhookPublisher publisher, MailPublisher mail, IOptions<WebhookOptions> options, ILogger<EventOutbox> logger)
{
    public const string RowPrefix = "outbox|";

    /// <summary>
    /// Events one write may store: each is at most <see cref="WebhookPublisher.MaxPayloadBytes"/> as kept, so the row stays
    /// within an entity's 1 MiB (documents hold up to 960 KiB) and the write's transaction within 4 MiB.
    /// </summary>
    public const int MaxEventsPerWrite = 3;

    /// <summary>Mails one write may store (each an intent of a few hundred bytes; recipients are resolved when published).</summary>
    public const int MaxMailsPerWrite = 3;
    private readonly QueueClient _flushes = account.GetQueueClient(StorageNames.Queues.WebhookOutbox);

    /// <summary>
    /// The whole sequence around a store's update: runs <paramref name="update"/> giving it the rows to add to
    /// each write's transaction (the event <paramref name="announce"/> makes of the value written), and publishes
    /// the event of the write that won. The outbox in <paramref name="table"/>/<paramref name="partition"/> is
    /// opened before the first write: an update that writes nothing (not found, no change) queues nothing.
    /// </summary>
    public Task<UpdateOutcome<T>> UpdateAsync<T>(string table, string partition, Func<T, DomainEvent> announce,
        Func<TransactionRows<T>, Task<UpdateOutcome<T>>> update, CancellationToken cancellationToken)
        where T : class =>
        UpdateAsync(table, partition, value => ([announce(value)], []), update, cancellationToken);

    /// <summary>
    /// Like <see cref="UpdateAsync{T}(string, string, Func{T, DomainEvent}, Func{TransactionRows{T}, Task{UpdateOutcome{T}}}, CancellationToken)"/>,
    /// where the value written may make events and mails, or nothing (then no row is added and nothing queued).
    /// </summary>
    public async Task<UpdateOutcome<T>> UpdateAsync<T>(string table, string partition, Func<T, (IReadOnlyList<DomainEvent> Events, IReadOnlyList<MailIntent> Mails)> announce,
        Func<TransactionRows<T>, Task<UpdateOutcome<T>>> update, CancellationToken cancellationToken)
        where T : class
    {
        OutboxEntry? entry = null;
        (IReadOnlyList<DomainEvent> Events, IReadOnlyList<MailIntent> Mails) written = ([], []);
        var outcome = await update(async (value, ct) =>
        {
            written = announce(value);
            if (written.Events.Count == 0 && written.Mails.Count == 0)
            {
                return [];
            }
            entry ??= await OpenAsync(table, partition, ct);
            return [Record(entry, written.Events, written.Mails)];
        });
        if (outcome.Status == UpdateStatus.Updated && entry is not null && (written.Events.Count > 0 || written.Mails.Count > 0))
        {
            await PublishAsync(entry, written.Events, written.Mails, cancellationToken);
        }
        return outcome;
    }

    /// <summary>Queues the flush of an outbox row the coming write in <paramref name="table"/>/<paramref name="partition"/> will add.</summary>
    public async Task<OutboxEntry> OpenAsync(string table, string partition, CancellationToken cancellationToken)
    {
        var entry = new OutboxEntry(table, partition, RowPrefix + Guid.NewGuid().ToString("N"));
        await _flushes.SendMessageAsync(JsonSerializer.Serialize(entry, TrackelioJson.Options), visibilityTimeout: options.Value.OutboxFlushDelay,
            cancellationToken: cancellationToken);
        return entry;
    }

    /// <summary>The outbox row holding <paramref name="domainEvent"/>, to add to the write's transaction (one action of its 100).</summary>
    public TableTransactionAction Record(OutboxEntry entry, DomainEvent domainEvent) => Record(entry, [domainEvent]);

    /// <summary>The outbox row holding the write's <paramref name="events"/> (1 to <see cref="MaxEventsPerWrite"/>).</summary>
    public TableTransactionAction Record(OutboxEntry entry, IReadOnlyList<DomainEvent> events) => Record(entry, events, []);

    /// <summary>
    /// The outbox row holding the write's <paramref name="events"/> (up to <see cref="MaxEventsPerWrite"/>) and
    /// <paramref name="mails"/> (up to <see cref="MaxMailsPerWrite"/>, small: a mail's content is a few fields), at least one of either.
    /// </summary>
    public TableTransactionAction Record(OutboxEntry entry, IReadOnlyList<DomainEvent> events, IReadOnlyList<MailIntent> mails)
    {
        if (events.Count > MaxEventsPerWrite || mails.Count > MaxMailsPerWrite || events.Count + mails.Count == 0)
        {
            throw new ArgumentException($"A write stores up to {MaxEventsPerWrite} events and {MaxMailsPerWrite} mails, and at least one of either.", nameof(events));
        }
        // The data as it is sent: at most MaxPayloadBytes each, so the row stays below an entity's 1 MiB.
        var stored = events.Select(e => new OutboxEvent(e.WorkspaceId, e.Type, e.SourceId, e.OccurredAt.UtcTicks,
            JsonSerializer.SerializeToElement(WebhookPayload.Data(e, WebhookPublisher.MaxPayloadBytes, WebhookPublisher.MaxThinFieldBytes), TrackelioJson.Options)));
        return new TableTransactionAction(TableTransactionActionType.Add, Rows(entry.Table).ToEntity(entry.Partition, entry.RowKey, new OutboxRow([.. stored]) { Mails = mails }));
    }

    /// <summary>After the write: publishes the event and deletes its outbox row. Failures are logged; the flush publishes it later.</summary>
    public Task PublishAsync(OutboxEntry entry, DomainEvent domainEvent, CancellationToken cancellationToken) =>
        PublishAsync(entry, [domainEvent], cancellationToken);

    /// <summary>After the write: publishes its events and deletes their outbox row. Failures are logged; the flush publishes them later.</summary>
    public Task PublishAsync(OutboxEntry entry, IReadOnlyList<DomainEvent> events, CancellationToken cancellationToken) =>
        PublishAsync(entry, events, [], cancellationToken);

    /// <summary>After the write: publishes its events and mails and deletes their outbox row. Failures are logged; the flush publishes them later.</summary>
    public async Task PublishAsync(OutboxEntry entry, IReadOnlyList<DomainEvent> events, IReadOnlyList<MailIntent> mails, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var domainEvent in events)
            {
                await publisher.PublishAsync(domainEvent, cancellationToken);
            }
            foreach (var intent in mails)
            {
                await mail.PublishAsync(intent, cancellationToken);
            }
            await Rows(entry.Table).DeleteAsync(entry.Partition, entry.RowKey, cancellationToken);
        }
        catch (Exception ex)
        {
            // Cancellation too: the change is stored and answered for; the flush message delivers the events and mails.
            logger.LogWarning(ex, "Events {Types} and {Mails} mails of {Partition} were stored but not all published yet; their outbox flush will",
                string.Join(", ", events.Select(e => e.Type)), mails.Count, entry.Partition);
        }
    }

    /// <summary>Publishes the event of a row still in the outbox and deletes the row; nothing when there is none. Throws when storage fails (the message is retried).</summary>
    public async Task FlushAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var rows = Rows(entry.Table);
        if (await rows.GetAsync(entry.Partition, entry.RowKey, cancellationToken) is not { } stored)
        {
            return; // published already, or the write never happened
        }
        foreach (var domainEvent in stored.Value.Events)
        {
            await publisher.PublishAsync(domainEvent.ToDomainEvent(), cancellationToken); // those published before: no second delivery
        }
        foreach (var intent in stored.Value.Mails)
        {
            await mail.PublishAsync(intent, cancellationToken); // those published before: no second mail
        }
        await rows.DeleteAsync(entry.Partition, entry.RowKey, cancellationToken);
    }

    private DocumentTable<OutboxRow> Rows(string table) => new(account.GetTableClient(table), TrackelioJson.Options);
}
