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
    public const string DescPrefix = TimeOrderedTable<FeedbackRecord>.DescPrefix;
    private readonly TimeOrderedTable<FeedbackRecord> _table = new(
        new DocumentTable<FeedbackRecord>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options),
        record => (record.WorkspaceId, record.Id),
        Columns);

    private readonly BlobContainerClient _logs = account.GetBlobContainerClient(StorageNames.Containers.FeedbackData);

    public static string LogsBlobName(string workspaceId, string feedbackId) => $"{workspaceId}/{feedbackId}.json";

    public static string DescRowKey(string feedbackId) => TimeOrderedTable<FeedbackRecord>.DescRowKey(feedbackId);

    public Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default) => _table.CreateAsync(record, cancellationToken: cancellationToken);

    public Task UpdateAsync(FeedbackRecord record, ETag ifMatch, CancellationToken cancellationToken = default) => _table.UpdateAsync(record, ifMatch, cancellationToken: cancellationToken);

    public Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default) =>
        _table.GetAsync(workspaceId, feedbackId, cancellationToken);

    public Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> ListAsync(string workspaceId, FeedbackQuery query, int limit,
        CancellationToken cancellationToken = default) =>
        _table.ListAsync(query.ToFilter(workspaceId), limit, cancellationToken);

    public Task<string?> SkipAsync(string workspaceId, FeedbackQuery query, int count, CancellationToken cancellationToken = default) =>
        _table.SkipAsync(query.ToFilter(workspaceId), count, cancellationToken);

    public Task<long> CountAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default) =>
        _table.CountAsync(query.ToFilter(workspaceId), cancellationToken);

    public IAsyncEnumerable<FeedbackRecord> ScanAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default) =>
        _table.ScanAsync((query with { NewestFirst = false }).ToFilter(workspaceId), cancellationToken);

    public async Task EraseAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default)
    {
        await _logs.DeleteIfExistsAsync(LogsBlobName(workspaceId, feedbackId), cancellationToken);
        await _table.EraseAsync(workspaceId, feedbackId, cancellationToken);
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
