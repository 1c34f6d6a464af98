using Azure;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

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

/// <summary>The counters one feedback record adds to: per widget and per workspace, in total and per UTC day.</summary>
public static class FeedbackCounters
{
    public static IReadOnlyCollection<string> For(string? widgetId, DateTimeOffset createdAt)
    {
        var day = createdAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        List<string> counters = ["feedback|total", $"feedback|day|{day}"];
        if (widgetId is not null)
        {
            counters.Add($"widget|{widgetId}|feedback|total");
            counters.Add($"widget|{widgetId}|feedback|day|{day}");
        }
        return counters;
    }
}

/// <summary>
/// Counters in table <c>counters</c> (partition = workspace, row = counter name). Each event is
/// counted in one entity-group transaction that inserts a marker row for the event and writes
/// every counter back with the ETag it was read at: a marker that exists means "counted already"
/// (409), a counter another writer changed means "read again and retry" (412). Nothing is ever
/// counted twice or half.
/// </summary>
public sealed class TableCounterStore(StorageAccount account) : ICounterStore
{
    private const string Count = "Count";
    private const string MarkerPrefix = "counted|";
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.Counters);

    public async Task<bool> CountOnceAsync(string workspaceId, string eventId, IReadOnlyCollection<string> counters, CancellationToken cancellationToken = default)
    {
        var marker = MarkerPrefix + eventId;
        for (var attempt = 0; ; attempt++)
        {
            if (await _table.GetEntityIfExistsAsync(workspaceId, marker, cancellationToken) is not null)
            {
                return false;
            }

            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, new TableEntity(workspaceId, marker)) };
            foreach (var counter in counters.Distinct(StringComparer.Ordinal))
            {
                var current = await _table.GetEntityIfExistsAsync(workspaceId, counter, cancellationToken);
                actions.Add(current is null
                    ? new(TableTransactionActionType.Add, new TableEntity(workspaceId, counter) { [Count] = 1L })
                    : new(TableTransactionActionType.UpdateReplace, new TableEntity(workspaceId, counter) { [Count] = (current.GetInt64(Count) ?? 0) + 1 }, current.ETag));
            }

            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                // Another writer got there first: either the marker (we are done) or a counter (read again).
                await Task.Delay(Random.Shared.Next(5, 20 + (attempt * 10)), cancellationToken);
            }
        }
    }

    public async Task<long> GetAsync(string workspaceId, string counter, CancellationToken cancellationToken = default) =>
        (await _table.GetEntityIfExistsAsync(workspaceId, counter, cancellationToken))?.GetInt64(Count) ?? 0;
}
