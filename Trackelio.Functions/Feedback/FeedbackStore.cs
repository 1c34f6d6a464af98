using System.Text.Json;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Blobs;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Feedback;

public interface IFeedbackStore
{
    /// <summary>Stores a new record; false when one with its id exists already (nothing is changed then).</summary>
    Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default);

    Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record while it is at <paramref name="ifMatch"/>; throws with status 412 when it changed.</summary>
    Task UpdateAsync(FeedbackRecord record, ETag ifMatch, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of records matching <paramref name="query"/> (from after <see cref="FeedbackQuery.After"/>),
    /// and the row key to resume after for the next page, or null when this is the last page.
    /// </summary>
    Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> ListAsync(string workspaceId, FeedbackQuery query, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>The row key of the <paramref name="count"/>-th match (reading keys only), to resume after; null when there are fewer.</summary>
    Task<string?> SkipAsync(string workspaceId, FeedbackQuery query, int count, CancellationToken cancellationToken = default);

    /// <summary>How many records match, counted from keys only.</summary>
    Task<long> CountAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every matching record (for analytics and exports), oldest first.</summary>
    IAsyncEnumerable<FeedbackRecord> ScanAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default);

    /// <summary>Removes the record (both rows) and its logs for good (privacy erasure, not the soft delete).</summary>
    Task EraseAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);

    Task SaveLogsAsync(string workspaceId, string feedbackId, FeedbackLogs logs, CancellationToken cancellationToken = default);
    Task<FeedbackLogs?> GetLogsAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Feedback in table <c>feedback</c>, partition = workspace, each record twice: row = its id
/// (oldest first) and row = <c>desc|</c> + its mirrored id (newest first), both with <c>Status</c>,
/// <c>WidgetId</c>, <c>ItemType</c>, <c>CreatedAt</c> and <c>Deleted</c> columns to filter on. The
/// two rows are written in one entity-group transaction, so they never disagree. Logs are in
/// blobs <c>feedbackdata/{workspace}/{id}.json</c>.
/// </summary>
public sealed class TableFeedbackStore(StorageAccount account) : IFeedbackStore
{
    public const string DescPrefix = "desc|";
    private const int KeyPage = 1000;
    private readonly DocumentTable<FeedbackRecord> _table = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
    private readonly BlobContainerClient _logs = account.GetBlobContainerClient(StorageNames.Containers.FeedbackData);

    public static string LogsBlobName(string workspaceId, string feedbackId) => $"{workspaceId}/{feedbackId}.json";

    public async Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.Table.SubmitTransactionAsync([
                new(TableTransactionActionType.Add, _table.ToEntity(record.WorkspaceId, record.Id, record, Columns(record))),
                new(TableTransactionActionType.Add, _table.ToEntity(record.WorkspaceId, DescRowKey(record.Id), record, Columns(record))),
            ], cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public Task UpdateAsync(FeedbackRecord record, ETag ifMatch, CancellationToken cancellationToken = default) =>
        _table.Table.SubmitTransactionAsync([
            new(TableTransactionActionType.UpdateReplace, _table.ToEntity(record.WorkspaceId, record.Id, record, Columns(record)), ifMatch),
            new(TableTransactionActionType.UpsertReplace, _table.ToEntity(record.WorkspaceId, DescRowKey(record.Id), record, Columns(record))),
        ], cancellationToken);

    public async Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> ListAsync(string workspaceId, FeedbackQuery query, int limit,
        CancellationToken cancellationToken = default)
    {
        // One row more than the page: if it comes, there is a next page — no extra round trip to find out.
        var entities = new List<TableEntity>(limit + 1);
        var filter = query.ToFilter(workspaceId);
        string? continuation = null;
        do
        {
            // The service may return fewer than asked with a continuation: keep asking until the page is full.
            var page = await _table.Table.QueryPageAsync(filter, top: limit + 1 - entities.Count, continuationToken: continuation, cancellationToken: cancellationToken);
            entities.AddRange(page.Entities);
            continuation = page.ContinuationToken;
        }
        while (entities.Count <= limit && continuation is not null);

        var records = entities.Take(limit).ToList();
        return (records.Select(_table.Read).ToList(), entities.Count > limit ? records[^1].RowKey : null);
    }

    public async Task<string?> SkipAsync(string workspaceId, FeedbackQuery query, int count, CancellationToken cancellationToken = default)
    {
        var filter = query.ToFilter(workspaceId);
        string? continuation = null;
        var skipped = 0;
        do
        {
            var page = await _table.Table.QueryPageAsync(filter, ["RowKey"], Math.Min(KeyPage, count - skipped), continuation, cancellationToken);
            skipped += page.Entities.Count;
            if (skipped == count && page.Entities.Count > 0)
            {
                return page.Entities[^1].RowKey;
            }
            continuation = page.ContinuationToken;
        }
        while (continuation is not null && skipped < count);
        return null;
    }

    public async Task<long> CountAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default)
    {
        long count = 0;
        await foreach (var _ in _table.Table.QueryAsync(query.ToFilter(workspaceId), ["RowKey"], KeyPage, cancellationToken))
        {
            count++;
        }
        return count;
    }

    public async IAsyncEnumerable<FeedbackRecord> ScanAsync(string workspaceId, FeedbackQuery query,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in _table.Table.QueryAsync((query with { NewestFirst = false }).ToFilter(workspaceId), maxPerPage: KeyPage, cancellationToken: cancellationToken))
        {
            yield return _table.Read(entity);
        }
    }

    public static string DescRowKey(string feedbackId) => DescPrefix + Ids.Invert(feedbackId);

    public Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default) =>
        _table.GetAsync(workspaceId, feedbackId, cancellationToken);

    public async Task EraseAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default)
    {
        await _logs.DeleteIfExistsAsync(LogsBlobName(workspaceId, feedbackId), cancellationToken);
        await _table.DeleteAsync(workspaceId, DescRowKey(feedbackId), cancellationToken);
        await _table.DeleteAsync(workspaceId, feedbackId, cancellationToken);
    }

    public async Task SaveLogsAsync(string workspaceId, string feedbackId, FeedbackLogs logs, CancellationToken cancellationToken = default)
    {
        using var content = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(logs, TrackelioJson.Options));
        await _logs.UploadAsync(LogsBlobName(workspaceId, feedbackId), content, "application/json", cancellationToken: cancellationToken);
    }

    public async Task<FeedbackLogs?> GetLogsAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default)
    {
        try
        {
            using var download = (await _logs.DownloadAsync(LogsBlobName(workspaceId, feedbackId), cancellationToken)).Value;
            return await JsonSerializer.DeserializeAsync<FeedbackLogs>(download.Content, TrackelioJson.Options, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public static Dictionary<string, object?> Columns(FeedbackRecord record) => new()
    {
        ["Status"] = record.Status,
        ["WidgetId"] = record.WidgetId,
        ["ItemType"] = record.ItemType,
        ["CreatedAt"] = record.CreatedAt,
        ["Deleted"] = record.DeletedAt is not null,
        ["AssignedTo"] = record.AssignedTo,
    };
}
