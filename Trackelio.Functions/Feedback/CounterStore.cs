using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Trackelio.Functions.Feedback;

public interface ICounterStore
{
    /// <summary>
    /// Adds one to each named counter of the workspace, exactly once per <paramref name="eventId"/>:
    /// the same event counted again (a redelivered message, two racing deliveries, a retry after
    /// a crash) changes nothing. Returns false when the event had been counted already.
    /// </summary>
    Task<bool> CountOnceAsync(string workspaceId, string eventId, IReadOnlyCollection<string> counters, CancellationToken cancellationToken = default);

    /// <summary>The counter's value, 0 when it was never incremented.</summary>
    Task<long> GetAsync(string workspaceId, string counter, CancellationToken cancellationToken = default);
}

/// <summary>The counters one feedback record adds to: per workspace and per widget.</summary>
public static class FeedbackCounters
{
    public static IReadOnlyCollection<string> For(string? widgetId, DateTimeOffset createdAt) =>
        widgetId is null ? ["feedback|total"] : ["feedback|total", $"widget|{widgetId}|feedback|total"];
}

/// <summary>
/// Counters that concurrent writers never contend on. They live in table <c>feedback</c>, in the
/// workspace's partition, so that counting can ride in the same entity-group transaction as the
/// record it counts:
/// <list type="bullet">
/// <item>Counting an event inserts two rows of its own: <c>counted|{event}</c> (a permanent marker:
/// inserting it again fails, so an event counts once) and <c>fact|{event}</c> (which counters it adds
/// to). No row is read first and no row is shared with another writer, so there is nothing to retry.</item>
/// <item><c>counts</c> holds the rolled-up totals (JSON). A reader sums <c>counts</c> and the facts not
/// rolled up yet (one range read, bounded by the writes since the last roll-up, not by history); past
/// <see cref="RollUpAt"/> facts it rolls them up: one transaction replaces <c>counts</c> under its ETag and
/// deletes the facts it took, so a fact is in the total or in the range, never both and never neither.
/// Two readers rolling up at once: one wins, the other's transaction fails as a whole (412).</item>
/// </list>
/// </summary>
public sealed class TableCounterStore(StorageAccount account) : ICounterStore
{
    public const string FactPrefix = "fact|";
    public const string MarkerPrefix = "counted|";
    public const string TotalsRow = "counts";

    /// <summary>Facts a reader lets pile up before it rolls them into <see cref="TotalsRow"/>.</summary>
    public const int RollUpAt = 64;

    private const string CountersColumn = "Counters";
    private const int RollUpChunk = 99; // a transaction holds at most 100 actions
    private readonly DocumentTable<Dictionary<string, long>> _table = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);

    /// <summary>The rows that count <paramref name="eventId"/> once, to add to a transaction of the same partition.</summary>
    public static IEnumerable<TableTransactionAction> Facts(string workspaceId, string eventId, IEnumerable<string> counters) =>
    [
        new(TableTransactionActionType.Add, new TableEntity(workspaceId, MarkerPrefix + eventId)),
        new(TableTransactionActionType.Add, new TableEntity(workspaceId, FactPrefix + eventId)
        {
            [CountersColumn] = string.Join('\n', counters.Distinct(StringComparer.Ordinal)),
        }),
    ];

    public async Task<bool> CountOnceAsync(string workspaceId, string eventId, IReadOnlyCollection<string> counters, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.Table.SubmitTransactionExactlyAsync(Facts(workspaceId, eventId, counters).ToList(), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return false; // the marker exists: counted already
        }
    }

    public async Task<long> GetAsync(string workspaceId, string counter, CancellationToken cancellationToken = default)
    {
        var (totals, _, facts) = await ReadAsync(workspaceId, cancellationToken);
        var value = totals.GetValueOrDefault(counter) + facts.Count(fact => CountersOf(fact).Contains(counter));
        if (facts.Count >= RollUpAt)
        {
            await RollUpAsync(workspaceId, cancellationToken);
        }
        return value;
    }

    /// <summary>Rolls every fact written so far into <see cref="TotalsRow"/>, a transaction of up to 99 rows at a time.</summary>
    public async Task RollUpAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 20;)
        {
            var (totals, etag, facts) = await ReadAsync(workspaceId, cancellationToken);
            if (facts.Count == 0)
            {
                return;
            }
            var taken = facts.Take(RollUpChunk).ToList();
            foreach (var counter in taken.SelectMany(CountersOf))
            {
                totals[counter] = totals.GetValueOrDefault(counter) + 1;
            }
            var entity = _table.ToEntity(workspaceId, TotalsRow, totals);
            List<TableTransactionAction> actions = [etag is { } e
                ? new(TableTransactionActionType.UpdateReplace, entity, e)
                : new(TableTransactionActionType.Add, entity)];
            actions.AddRange(taken.Select(fact => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(workspaceId, fact.RowKey))));
            try
            {
                await _table.Table.SubmitTransactionExactlyAsync(actions, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                attempt++; // another reader rolled up meanwhile: read again
            }
        }
    }

    /// <summary>
    /// The totals row and the facts not rolled into it yet, as one consistent picture: a roll-up that commits between
    /// reading the two would count its facts twice (in the new totals and as facts still listed) or not at all, so the
    /// totals are read before and after the facts and the whole is read again when they differ.
    /// </summary>
    private async Task<(Dictionary<string, long> Totals, ETag? ETag, List<TableEntity> Facts)> ReadAsync(string workspaceId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await _table.GetAsync(workspaceId, TotalsRow, cancellationToken);
            var facts = new List<TableEntity>();
            await foreach (var fact in _table.Table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {FactPrefix} and RowKey lt {"fact}"}"),
                1000, ["RowKey", CountersColumn], cancellationToken))
            {
                facts.Add(fact);
            }
            var after = await _table.Table.GetEntityIfExistsAsync<TableEntity>(workspaceId, TotalsRow, ["RowKey"], cancellationToken);
            var unchanged = after.HasValue ? stored is not null && after.Value!.ETag == stored.ETag : stored is null;
            if (unchanged || attempt >= 5)
            {
                return (stored?.Value ?? new Dictionary<string, long>(StringComparer.Ordinal), stored?.ETag, facts);
            }
        }
    }

    private static string[] CountersOf(TableEntity fact) => (fact.GetString(CountersColumn) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
