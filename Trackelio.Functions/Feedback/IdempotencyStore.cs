using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Trackelio.Functions.Feedback;

public interface IIdempotencyStore
{
    /// <summary>
    /// The feedback id bound to <paramref name="key"/> for this widget: <paramref name="candidateId"/>
    /// when the key is new, or the id the first request with the key got.
    /// </summary>
    Task<string> ClaimAsync(string widgetId, string key, string candidateId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Idempotency keys in table <c>idempotency</c>: partition = widget, row = SHA-256 of the key.
/// The insert is the claim: of two racing requests with one key, one inserts and the other
/// reads what it inserted, so both answer the same id.
/// </summary>
public sealed class TableIdempotencyStore(StorageAccount account) : IIdempotencyStore
{
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.Idempotency);

    public async Task<string> ClaimAsync(string widgetId, string key, string candidateId, CancellationToken cancellationToken = default)
    {
        var rowKey = Secrets.Hash(key);
        var entity = new TableEntity(widgetId, rowKey) { ["FeedbackId"] = candidateId };
        try
        {
            await _table.AddEntityExactlyAsync(entity, cancellationToken);
            return candidateId;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            var existing = await _table.GetEntityAsync<TableEntity>(widgetId, rowKey, cancellationToken: cancellationToken);
            return existing.Value.GetString("FeedbackId") ?? throw new InvalidOperationException("An idempotency entry has no feedback id.");
        }
    }
}
