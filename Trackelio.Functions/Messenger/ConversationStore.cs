using System.Globalization;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Webhooks;
using Azure.Data.Tables;

namespace Trackelio.Functions.Messenger;

/// <summary>Which conversations a list shows.</summary>
public sealed record ConversationQuery
{
    public string? Status { get; init; }
    public string? WidgetId { get; init; }
    public string? AssignedTo { get; init; }
    public string? After { get; init; }

    public string ToFilter(string workspaceId) => TableQueries.And(
        TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"),
        TimeOrderedTable<Conversation>.Range(Ids.Conversation, null, null, newestFirst: true),
        After is null ? null : TableClient.CreateQueryFilter($"RowKey gt {After}"),
        Status is null ? null : TableClient.CreateQueryFilter($"Status eq {Status}"),
        WidgetId is null ? null : TableClient.CreateQueryFilter($"WidgetId eq {WidgetId}"),
        AssignedTo is null ? null : TableClient.CreateQueryFilter($"AssignedTo eq {AssignedTo}"))!;
}

/// <summary>
/// Conversations and their messages in table <c>conversations</c>, all in the workspace's
/// partition: each conversation twice (oldest- and newest-first rows, see <see cref="TimeOrderedTable{T}"/>),
/// each message as row <c>msg|{conversation}|{sequence}</c>, each <c>client_message_id</c> as row
/// <c>cmid|{conversation}|{hash}</c>. A message is accepted in one entity-group transaction that
/// writes the conversation back under its ETag with the next sequence and inserts the message
/// (and its client id): two writers never get one sequence, a retried client id is refused as a
/// duplicate, and a message racing the conversation's end either lands before it or sees it ended.
/// The events a change makes are stored in its transaction too (row <c>outbox|…</c>, see <see cref="EventOutbox"/>).
/// </summary>
public sealed class ConversationStore(StorageAccount account, EventOutbox outbox)
{
    private readonly TimeOrderedTable<Conversation> _conversations = new(
        new DocumentTable<Conversation>(account.GetTableClient(StorageNames.Tables.Conversations), TrackelioJson.Options),
        c => (c.WorkspaceId, c.Id),
        c => new Dictionary<string, object?> { ["Status"] = c.Status, ["WidgetId"] = c.WidgetId, ["AssignedTo"] = c.AssignedTo, ["CreatedAt"] = c.CreatedAt });

    private readonly DocumentTable<ChatMessage> _messages = new(account.GetTableClient(StorageNames.Tables.Conversations), TrackelioJson.Options);

    public Task<Stored<Conversation>?> GetAsync(string workspaceId, string conversationId, CancellationToken cancellationToken = default) =>
        _conversations.GetAsync(workspaceId, conversationId, cancellationToken);

    /// <summary>Stores a new conversation with its first messages and the events they make (published now or by the outbox flush).</summary>
    public async Task CreateAsync(Conversation conversation, IReadOnlyList<ChatMessage> messages, IReadOnlyList<DomainEvent> events,
        CancellationToken cancellationToken = default)
    {
        var entry = await outbox.OpenAsync(StorageNames.Tables.Conversations, conversation.WorkspaceId, cancellationToken);
        await _conversations.CreateAsync(conversation, [.. messages.SelectMany(m => Add(conversation.WorkspaceId, m)), outbox.Record(entry, events)], cancellationToken);
        await outbox.PublishAsync(entry, events, cancellationToken);
    }

    /// <summary>
    /// Changes the conversation and adds the messages the change makes, in one transaction; when
    /// another writer got in first (a message, an end) the change is applied again to the newer
    /// conversation, so each message gets the next sequence. A busy conversation has many writers:
    /// up to 30 attempts, a short random pause between them. The change returns null to leave the
    /// conversation as it is. A client message id used already is thrown (409): that message exists.
    /// The change's events are stored with it: the outbox's flush message is queued before the first
    /// write that holds them, and they are published once the change is stored.
    /// </summary>
    public async Task<UpdateOutcome<Conversation>> ChangeAsync(string workspaceId, string conversationId, Func<Conversation, ConversationChange?> change,
        CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> messages = [];
        IReadOnlyList<DomainEvent> events = [];
        OutboxEntry? entry = null;
        var outcome = await OptimisticUpdate.RunAsync(
            token => GetAsync(workspaceId, conversationId, token),
            current =>
            {
                var changed = change(current);
                messages = changed?.Messages ?? [];
                events = changed?.Events ?? [];
                return changed?.Conversation;
            },
            async (conversation, ifMatch, token) =>
            {
                List<TableTransactionAction> rows = [.. messages.SelectMany(m => Add(workspaceId, m))];
                if (events.Count > 0)
                {
                    entry ??= await outbox.OpenAsync(StorageNames.Tables.Conversations, workspaceId, token);
                    rows.Add(outbox.Record(entry, events));
                }
                await _conversations.UpdateAsync(conversation, ifMatch, rows, token);
            },
            cancellationToken,
            attempts: 30,
            lostRace: ex => ex.Status == 412 || (ex.Status == 409 && messages.All(m => m.ClientMessageId is null)),
            pause: (attempt, token) => Task.Delay(Random.Shared.Next(2, 10 + (attempt * 5)), token));
        if (outcome.Status == UpdateStatus.Updated && entry is not null && events.Count > 0)
        {
            await outbox.PublishAsync(entry, events, cancellationToken);
        }
        return outcome;
    }

    /// <summary>The message sent with this client id, if one was.</summary>
    public async Task<ChatMessage?> FindByClientIdAsync(string workspaceId, string conversationId, string clientMessageId, CancellationToken cancellationToken = default)
    {
        var marker = await _messages.Table.GetEntityOrNullAsync(workspaceId, ClientIdRow(conversationId, clientMessageId), cancellationToken);
        return marker?.GetInt64("Sequence") is { } sequence
            ? (await _messages.GetAsync(workspaceId, MessageRow(conversationId, sequence), cancellationToken))?.Value
            : null;
    }

    /// <summary>Up to <paramref name="limit"/> messages after sequence <paramref name="after"/>, in order.</summary>
    public async Task<IReadOnlyList<ChatMessage>> MessagesAsync(string workspaceId, string conversationId, long after, int limit, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey gt {MessageRow(conversationId, after)} and RowKey lt {"msg|" + conversationId + "}"}");
        var messages = new List<ChatMessage>(limit);
        string? continuation = null;
        do
        {
            var page = await _messages.Table.QueryOnePageAsync(filter, limit - messages.Count, continuationToken: continuation, cancellationToken: cancellationToken);
            messages.AddRange(page.Values.Select(_messages.Read));
            continuation = page.ContinuationToken;
        }
        while (messages.Count < limit && continuation is not null);
        return messages;
    }

    /// <summary>The ids of the attachments the workspace's messages refer to (a message row at a time).</summary>
    public async IAsyncEnumerable<string> AttachmentIdsAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey gt {"msg|"} and RowKey lt {"msg}"}");
        await foreach (var row in _messages.Table.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            foreach (var attachment in _messages.Read(row).Attachments)
            {
                yield return attachment.Id;
            }
        }
    }

    public Task<(IReadOnlyList<Conversation> Conversations, string? After)> ListAsync(string workspaceId, ConversationQuery query, int limit, CancellationToken cancellationToken = default) =>
        _conversations.ListAsync(query.ToFilter(workspaceId), limit, cancellationToken);

    public Task<string?> SkipAsync(string workspaceId, ConversationQuery query, int count, CancellationToken cancellationToken = default) =>
        _conversations.SkipAsync(query.ToFilter(workspaceId), count, cancellationToken);

    public Task<long> CountAsync(string workspaceId, ConversationQuery query, CancellationToken cancellationToken = default) =>
        _conversations.CountAsync(query.ToFilter(workspaceId), cancellationToken);

    public IAsyncEnumerable<Conversation> ScanAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        _conversations.ScanAsync(TableQueries.And(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"),
            TimeOrderedTable<Conversation>.Range(Ids.Conversation, null, null, newestFirst: false))!, cancellationToken);

    /// <summary>Removes the conversation and all its messages for good (privacy erasure).</summary>
    public async Task EraseAsync(string workspaceId, string conversationId, CancellationToken cancellationToken = default)
    {
        foreach (var prefix in new[] { "msg|", "cmid|" })
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey gt {prefix + conversationId + "|"} and RowKey lt {prefix + conversationId + "}"}");
            await foreach (var row in _messages.Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                await _messages.DeleteAsync(workspaceId, row.RowKey, cancellationToken);
            }
        }
        await _conversations.EraseAsync(workspaceId, conversationId, cancellationToken);
    }

    private IEnumerable<TableTransactionAction> Add(string workspaceId, ChatMessage message)
    {
        yield return new(TableTransactionActionType.Add, _messages.ToEntity(workspaceId, MessageRow(message.ConversationId, message.Sequence), message));
        if (message.ClientMessageId is { } clientId)
        {
            yield return new(TableTransactionActionType.Add, new TableEntity(workspaceId, ClientIdRow(message.ConversationId, clientId)) { ["Sequence"] = message.Sequence });
        }
    }

    private static string MessageRow(string conversationId, long sequence) =>
        $"msg|{conversationId}|{sequence.ToString("D12", CultureInfo.InvariantCulture)}";

    private static string ClientIdRow(string conversationId, string clientMessageId) => $"cmid|{conversationId}|{Secrets.Hash(clientMessageId)}";
}

/// <summary>A conversation as a change leaves it, the messages the change adds to it and the events it makes (stored with it).</summary>
public sealed record ConversationChange(Conversation Conversation, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<DomainEvent>? Events = null);
