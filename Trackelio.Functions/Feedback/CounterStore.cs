using Azure;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Feedback;

public interface ICounterStore
{
    /// <summary>Adds one to each named counter of the workspace.</summary>
    Task IncrementAsync(string workspaceId, IEnumerable<string> counters, CancellationToken cancellationToken = default);

    /// <summary>The counter's value, 0 when it was never incremented.</summary>
    Task<long> GetAsync(string workspaceId, string counter, CancellationToken cancellationToken = default);
}

/// <summary>The counters one feedback record adds to: per widget and per workspace, in total and per UTC day.</summary>
public static class FeedbackCounters
{
    public static IEnumerable<string> For(string? widgetId, DateTimeOffset createdAt)
    {
        var day = createdAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        yield return "feedback|total";
        yield return $"feedback|day|{day}";
        if (widgetId is not null)
        {
            yield return $"widget|{widgetId}|feedback|total";
            yield return $"widget|{widgetId}|feedback|day|{day}";
        }
    }
}

/// <summary>
/// Counters in table <c>counters</c> (partition = workspace, row = counter name), incremented
/// with optimistic concurrency: read, write back with the ETag, retry when another writer won.
/// </summary>
public sealed class TableCounterStore(StorageAccount account) : ICounterStore
{
    private const string Count = "Count";
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.Counters);

    public Task IncrementAsync(string workspaceId, IEnumerable<string> counters, CancellationToken cancellationToken = default) =>
        Task.WhenAll(counters.Select(counter => IncrementOneAsync(workspaceId, counter, cancellationToken)));

    public async Task<long> GetAsync(string workspaceId, string counter, CancellationToken cancellationToken = default) =>
        (await _table.GetEntityIfExistsAsync(workspaceId, counter, cancellationToken))?.GetInt64(Count) ?? 0;

    private async Task IncrementOneAsync(string workspaceId, string counter, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await _table.GetEntityIfExistsAsync(workspaceId, counter, cancellationToken);
            try
            {
                if (current is null)
                {
                    await _table.AddEntityAsync(new TableEntity(workspaceId, counter) { [Count] = 1L }, cancellationToken);
                }
                else
                {
                    var next = new TableEntity(workspaceId, counter) { [Count] = (current.GetInt64(Count) ?? 0) + 1 };
                    await _table.UpdateEntityAsync(next, current.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 50)
            {
                await Task.Delay(Random.Shared.Next(5, 20 + (attempt * 10)), cancellationToken);
            }
        }
    }
}
