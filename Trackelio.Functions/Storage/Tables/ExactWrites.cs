using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// Writes whose outcome is exact although the pipeline retries. When a write's first attempt applied
/// but its response was lost, the SDK's retry is refused (409 for an insert, 412 for a conditional
/// update or a transaction) although the write succeeded. Each write here carries a fresh id in the
/// column <see cref="WriteIdColumn"/>; when a refused write was retried, the stored entity is read back
/// and, if it holds this write's id, the write succeeded. A refusal of a write sent once is a real one
/// and costs nothing extra.
/// </summary>
public static class ExactWrites
{
    /// <summary>The column that carries the id of the call that last wrote an entity.</summary>
    public const string WriteIdColumn = "WriteId";

    private const string AttemptsProperty = "Trackelio.WriteAttempts";

    /// <summary>Counts each attempt of a write made here (a per-retry policy of the table clients, <see cref="StorageClientOptions.Tables"/>).</summary>
    public static HttpPipelinePolicy AttemptPolicy { get; } = new AttemptCounter();

    /// <summary>Inserts a new entity and answers its ETag; throws with status 409 when one with the same keys exists.</summary>
    public static Task<ETag> AddEntityExactlyAsync(this TableClient table, TableEntity entity, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, (t, ct) => t.AddEntityAsync(entity, ct), cancellationToken);

    /// <summary>
    /// Replaces the stored entity while its ETag is <paramref name="ifMatch"/> and answers the new ETag;
    /// throws with status 412 when it changed (404 when it is gone).
    /// </summary>
    public static Task<ETag> UpdateEntityExactlyAsync(this TableClient table, TableEntity entity, ETag ifMatch, CancellationToken cancellationToken = default) =>
        WriteAsync(table, entity, (t, ct) => t.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, ct), cancellationToken);

    /// <summary>
    /// Runs the actions as one entity-group transaction (all or none); a refused step throws
    /// <see cref="TableTransactionFailedException"/> with its status (409 for an Add whose keys exist, 412 for a stale ETag).
    /// </summary>
    public static async Task SubmitTransactionExactlyAsync(this TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        // All steps or none apply: the first written entity tells.
        var written = actions.FirstOrDefault(a => a.ActionType != TableTransactionActionType.Delete)?.Entity as TableEntity;
        var writeId = Stamp(written);
        var attempts = new StrongBox<int>();
        try
        {
            using (HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [AttemptsProperty] = attempts }))
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempts.Value > 1 && written is not null)
        {
            if (await StoredAsync(table, written, writeId!, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }
    }

    private static async Task<ETag> WriteAsync(TableClient table, TableEntity entity, Func<TableClient, CancellationToken, Task<Response>> write,
        CancellationToken cancellationToken)
    {
        var writeId = Stamp(entity)!;
        var attempts = new StrongBox<int>();
        try
        {
            using (HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [AttemptsProperty] = attempts }))
            {
                var response = await write(table, cancellationToken).ConfigureAwait(false);
                return response.Headers.ETag ?? default;
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempts.Value > 1)
        {
            if (await StoredAsync(table, entity, writeId, cancellationToken).ConfigureAwait(false) is not { } stored)
            {
                throw;
            }
            return stored.ETag;
        }
    }

    private static string? Stamp(TableEntity? entity)
    {
        if (entity is null)
        {
            return null;
        }
        var writeId = Guid.NewGuid().ToString("N");
        entity[WriteIdColumn] = writeId;
        return writeId;
    }

    /// <summary>The stored entity when the write with <paramref name="writeId"/> is what it holds; null otherwise.</summary>
    private static async Task<TableEntity?> StoredAsync(TableClient table, TableEntity entity, string writeId, CancellationToken cancellationToken)
    {
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, [WriteIdColumn], cancellationToken).ConfigureAwait(false);
        return stored.HasValue && stored.Value!.TryGetValue(WriteIdColumn, out var id) && id as string == writeId ? stored.Value : null;
    }

    private sealed class AttemptCounter : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.TryGetProperty(AttemptsProperty, out var value) && value is StrongBox<int> attempts)
            {
                Interlocked.Increment(ref attempts.Value);
            }
        }
    }
}
