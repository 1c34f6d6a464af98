using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// Documents with time-sortable ids (<see cref="Ids"/>), one partition per owner, each stored
/// twice: row = id (oldest first) and row = <c>desc|</c> + mirrored id (newest first), written in
/// one entity-group transaction so the two never disagree. Lists read either order as a
/// row-key range, page by keyset (resume after the last row key) and find out whether there
/// is a next page without an extra round trip.
/// </summary>
public sealed class TimeOrderedTable<T>(DocumentTable<T> documents, Func<T, (string Partition, string Id)> keys, Func<T, IReadOnlyDictionary<string, object?>> columns)
    where T : class
{
    public const string DescPrefix = "desc|";
    private const int KeyPage = 1000;

    public DocumentTable<T> Documents => documents;

    /// <summary>
    /// The row-key range of the ids made in [<paramref name="from"/>, <paramref name="to"/>), on the
    /// ascending rows or mirrored — (to, from] — on the newest-first rows.
    /// </summary>
    public static string Range(string idPrefix, DateTimeOffset? from, DateTimeOffset? to, bool newestFirst)
    {
        var lower = Ids.LowerBound(idPrefix, from ?? DateTimeOffset.UnixEpoch);
        var upper = to is { } t ? Ids.LowerBound(idPrefix, t) : null;
        return newestFirst
            ? TableClient.CreateQueryFilter($"RowKey gt {(upper is null ? DescPrefix : DescPrefix + Ids.Invert(upper))} and RowKey le {DescPrefix + Ids.Invert(lower)}")
            : TableClient.CreateQueryFilter($"RowKey ge {lower} and RowKey lt {upper ?? idPrefix + "`"}"); // '`' sorts right after '_'
    }

    public static string DescRowKey(string id) => DescPrefix + Ids.Invert(id);

    /// <summary>
    /// Stores a new document (and, in the same transaction, <paramref name="with"/>: rows of the same
    /// partition); false when one with its id exists already (nothing is changed then).
    /// </summary>
    public async Task<bool> CreateAsync(T document, IEnumerable<TableTransactionAction>? with = null, CancellationToken cancellationToken = default)
    {
        var (partition, id) = keys(document);
        try
        {
            await documents.Table.SubmitTransactionExactlyAsync([
                new(TableTransactionActionType.Add, documents.ToEntity(partition, id, document, columns(document))),
                new(TableTransactionActionType.Add, documents.ToEntity(partition, DescRowKey(id), document, columns(document))),
                .. with ?? [],
            ], cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists && with is null)
        {
            return false;
        }
    }

    /// <summary>
    /// Replaces the document while it is at <paramref name="ifMatch"/> (and applies <paramref name="with"/>
    /// in the same transaction); throws with status 412 when it changed.
    /// </summary>
    public Task UpdateAsync(T document, ETag ifMatch, IEnumerable<TableTransactionAction>? with = null, CancellationToken cancellationToken = default)
    {
        var (partition, id) = keys(document);
        return documents.Table.SubmitTransactionExactlyAsync([
            new(TableTransactionActionType.UpdateReplace, documents.ToEntity(partition, id, document, columns(document)), ifMatch),
            new(TableTransactionActionType.UpsertReplace, documents.ToEntity(partition, DescRowKey(id), document, columns(document))),
            .. with ?? [],
        ], cancellationToken);
    }

    public Task<Stored<T>?> GetAsync(string partition, string id, CancellationToken cancellationToken = default) =>
        documents.GetAsync(partition, id, cancellationToken);

    /// <summary>Removes both rows for good.</summary>
    public async Task EraseAsync(string partition, string id, CancellationToken cancellationToken = default)
    {
        await documents.DeleteAsync(partition, DescRowKey(id), cancellationToken);
        await documents.DeleteAsync(partition, id, cancellationToken);
    }

    /// <summary>One page of matches, and the row key to resume after for the next page (null on the last page).</summary>
    public async Task<(IReadOnlyList<T> Documents, string? After)> ListAsync(string filter, int limit, CancellationToken cancellationToken = default)
    {
        // One row more than the page: if it comes, there is a next page — no extra round trip to find out.
        var entities = new List<TableEntity>(limit + 1);
        string? continuation = null;
        do
        {
            // The service may return fewer than asked with a continuation: keep asking until the page is full.
            var page = await documents.Table.QueryOnePageAsync(filter, limit + 1 - entities.Count, continuationToken: continuation, cancellationToken: cancellationToken);
            entities.AddRange(page.Values);
            continuation = page.ContinuationToken;
        }
        while (entities.Count <= limit && continuation is not null);

        var rows = entities.Take(limit).ToList();
        return (rows.Select(documents.Read).ToList(), entities.Count > limit ? rows[^1].RowKey : null);
    }

    /// <summary>The row key of the <paramref name="count"/>-th match (reading keys only), to resume after; null when there are fewer.</summary>
    public async Task<string?> SkipAsync(string filter, int count, CancellationToken cancellationToken = default)
    {
        string? continuation = null;
        var skipped = 0;
        do
        {
            var page = await documents.Table.QueryOnePageAsync(filter, Math.Min(KeyPage, count - skipped), ["RowKey"], continuation, cancellationToken);
            skipped += page.Values.Count;
            if (skipped == count && page.Values.Count > 0)
            {
                return page.Values[^1].RowKey;
            }
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && skipped < count);
        return null;
    }

    /// <summary>How many rows match, counted from keys only.</summary>
    public async Task<long> CountAsync(string filter, CancellationToken cancellationToken = default)
    {
        long count = 0;
        await foreach (var _ in documents.Table.QueryAsync<TableEntity>(filter, KeyPage, ["RowKey"], cancellationToken))
        {
            count++;
        }
        return count;
    }

    public async IAsyncEnumerable<T> ScanAsync(string filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in documents.Table.QueryAsync<TableEntity>(filter, KeyPage, cancellationToken: cancellationToken))
        {
            yield return documents.Read(entity);
        }
    }
}
