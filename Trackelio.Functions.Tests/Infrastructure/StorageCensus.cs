using Trackelio.Functions.Storage;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>How many entities each table, blobs each container and messages each queue hold: storage "unchanged" is an equal census.</summary>
public static class StorageCensus
{
    public static async Task<SortedDictionary<string, long>> TakeAsync(StorageAccount account)
    {
        var census = new SortedDictionary<string, long>(StringComparer.Ordinal);
        // Rate-limit windows count attempts, refused ones too: bookkeeping of the traffic, not data a request changed.
        foreach (var table in StorageNames.Tables.All.Where(t => t != StorageNames.Tables.RateLimits))
        {
            long count = 0;
            await foreach (var _ in account.GetTableClient(table).QueryAsync<TableEntity>(maxPerPage: 1000, select: ["RowKey"]))
            {
                count++;
            }
            census["table " + table] = count;
        }
        foreach (var container in StorageNames.Containers.All)
        {
            long count = 0;
            await foreach (var _ in account.GetBlobContainerClient(container).GetBlobsAsync())
            {
                count++;
            }
            census["blobs " + container] = count;
        }
        foreach (var queue in StorageNames.Queues.All)
        {
            census["queue " + queue] = (await account.GetQueueClient(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        return census;
    }

    /// <summary>The entries that differ, as "name: before → after".</summary>
    public static IReadOnlyList<string> Diff(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        before.Keys.Union(after.Keys)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: {before.GetValueOrDefault(k)} → {after.GetValueOrDefault(k)}")
            .ToList();
}
