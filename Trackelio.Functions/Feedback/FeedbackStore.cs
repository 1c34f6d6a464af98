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

    Task SaveLogsAsync(string workspaceId, string feedbackId, FeedbackLogs logs, CancellationToken cancellationToken = default);
    Task<FeedbackLogs?> GetLogsAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Feedback in table <c>feedback</c> (partition = workspace, row = id, with <c>Status</c>,
/// <c>WidgetId</c>, <c>ItemType</c> and <c>CreatedAt</c> columns to filter on) and its logs in
/// blobs <c>feedbackdata/{workspace}/{id}.json</c>.
/// </summary>
public sealed class TableFeedbackStore(StorageAccount account) : IFeedbackStore
{
    private readonly DocumentTable<FeedbackRecord> _table = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
    private readonly BlobContainerClient _logs = account.GetBlobContainerClient(StorageNames.Containers.FeedbackData);

    public static string LogsBlobName(string workspaceId, string feedbackId) => $"{workspaceId}/{feedbackId}.json";

    public async Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default)
    {
        try
        {
            await _table.InsertAsync(record.WorkspaceId, record.Id, record, Columns(record), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default) =>
        _table.GetAsync(workspaceId, feedbackId, cancellationToken);

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
    };
}
