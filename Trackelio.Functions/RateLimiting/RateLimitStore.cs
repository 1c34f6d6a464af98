using System.Security.Cryptography;
using System.Text;
using Azure;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.RateLimiting;

/// <summary>What storage holds for one (scope, key, window): the count and the ETag it was read or written with.</summary>
public readonly record struct StoredCount(int Count, ETag? ETag);

/// <summary>The shared counts behind <see cref="SharedRateLimiter"/>: one row per scope, key and one-minute window.</summary>
public interface IRateLimitStore
{
    /// <summary>
    /// Adds <paramref name="add"/> (requests already admitted) to the shared count and, when
    /// <paramref name="takeBelow"/> is given and the count stays below it, one more (the request
    /// asking now). Optimistic: written under the ETag last seen (<paramref name="known"/>),
    /// re-read and retried when another instance wrote first, until <paramref name="cancellationToken"/> ends it.
    /// </summary>
    Task<(StoredCount Stored, bool Took)> AddAsync(string scope, string key, DateTimeOffset window, int add, int? takeBelow, StoredCount known,
        CancellationToken cancellationToken);

    /// <summary>Deletes the rows of windows that ended before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteWindowsBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);
}

/// <summary>
/// Table <c>ratelimits</c>: partition <c>{yyyyMMddHHmm}-{0-f}</c> (the window's minute and one of
/// 16 buckets by the row's hash, so one minute's traffic spreads over 16 partitions and old
/// windows are swept by a partition-key range), row <c>{scope}|{key}</c>, column <c>Count</c>.
/// </summary>
public sealed class TableRateLimitStore(StorageAccount account) : IRateLimitStore
{
    /// <summary>Backoff after the n-th conflict: up to 2^n ms, at most 64 ms.</summary>
    private const int MaxBackoffDoublings = 6;
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.RateLimits);

    public async Task<(StoredCount Stored, bool Took)> AddAsync(string scope, string key, DateTimeOffset window, int add, int? takeBelow, StoredCount known,
        CancellationToken cancellationToken)
    {
        var rowKey = RowKey(scope, key);
        var partitionKey = PartitionKey(window, rowKey);
        var current = known.ETag is null ? await ReadAsync(partitionKey, rowKey, cancellationToken) : known;
        for (var attempt = 0; ; attempt++)
        {
            var next = current.Count + add;
            var took = takeBelow is { } limit && next < limit;
            if (took)
            {
                next++;
            }
            if (next == current.Count)
            {
                return (current, false);
            }

            var entity = new TableEntity(partitionKey, rowKey) { ["Count"] = next };
            try
            {
                var written = current.ETag is { } etag
                    ? await _table.UpdateEntityExactlyAsync(entity, etag, cancellationToken)
                    : await _table.AddEntityExactlyAsync(entity, cancellationToken);
                return (new StoredCount(next, written), took);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
            {
                // Another instance wrote first (or the row is new to us): back off a random while, so
                // contenders spread out, and count from what is there now. The caller's deadline bounds this.
                await Task.Delay(Random.Shared.Next(1 << Math.Min(attempt, MaxBackoffDoublings)), cancellationToken);
                current = await ReadAsync(partitionKey, rowKey, cancellationToken);
            }
        }
    }

    public async Task<int> DeleteWindowsBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey lt {WindowText(before)}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, cancellationToken: cancellationToken);
            if (++deleted >= max)
            {
                break;
            }
        }
        return deleted;
    }

    private async Task<StoredCount> ReadAsync(string partitionKey, string rowKey, CancellationToken cancellationToken) =>
        await _table.GetEntityOrNullAsync(partitionKey, rowKey, cancellationToken) is { } entity
            ? new StoredCount(entity.GetInt32("Count") ?? 0, entity.ETag)
            : new StoredCount(0, null);

    internal static string WindowText(DateTimeOffset window) => window.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture);

    internal static string PartitionKey(DateTimeOffset window, string rowKey) =>
        WindowText(window) + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rowKey)).AsSpan(0, 1))[0];

    /// <summary>The key as itself when Table Storage allows it in a row key (readable), else its hash.</summary>
    internal static string RowKey(string scope, string key)
    {
        var plain = scope + "|" + key;
        return plain.Length <= 256 && !plain.AsSpan().ContainsAny("/\\#?") && !plain.Any(char.IsControl)
            ? plain
            : scope + "|sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
