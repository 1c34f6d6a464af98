using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>How an upsert treats the properties already stored.</summary>
public enum TableUpdateMode
{
    /// <summary>The stored entity is replaced: properties not sent are removed.</summary>
    Replace,

    /// <summary>The sent properties are merged into the stored entity.</summary>
    Merge,
}

/// <summary>
/// One table of the Table service, over Azure.Core's pipeline. Immutable and thread-safe;
/// share one instance per table.
/// </summary>
public class TableClient
{
    private const string JsonAccept = "application/json;odata=minimalmetadata";
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;

    /// <summary>For mocking.</summary>
    protected TableClient()
    {
        _pipeline = null!;
        _endpoint = null!;
        Name = "";
    }

    public TableClient(StorageConnection connection, string tableName, StorageClientOptions? options = null)
        : this(StoragePipeline.Build(connection, options ?? new StorageClientOptions(), table: true), connection.TableEndpoint, tableName)
    {
    }

    internal TableClient(HttpPipeline pipeline, Uri endpoint, string tableName)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        Name = tableName;
    }

    public string Name { get; }

    /// <summary>Creates the table; does nothing when it exists.</summary>
    public virtual async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Post, StoragePipeline.Append(_endpoint, "Tables"));
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name }));
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // TableAlreadyExists (or TableBeingDeleted, which a retry resolves).
        }
    }

    /// <summary>
    /// The column that carries the id of the call that last wrote an entity. The pipeline retries
    /// a write whose response was lost; when the first attempt did apply, the retry is refused
    /// (409 for an insert, 412 for a conditional update) although the write succeeded. Reading
    /// this column back tells the two apart, so a write's outcome is exact, never a false refusal.
    /// </summary>
    public const string WriteIdColumn = "WriteId";

    /// <summary>Inserts a new entity; throws with status 409 when one with the same keys exists.</summary>
    public virtual async Task<Response> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        var writeId = NewWriteId();
        using var message = CreateMessage(RequestMethod.Post, StoragePipeline.Append(_endpoint, Name));
        message.Request.Headers.SetValue("Content-Type", "application/json");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity, writeId));
        return await SendWriteAsync(message, entity, writeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts or replaces/merges the entity, whatever is stored.</summary>
    public virtual Task<Response> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>
    /// Replaces/merges the stored entity only while its ETag is <paramref name="ifMatch"/>
    /// (<see cref="ETag.All"/> for any); otherwise throws with status 412 (or 404 when absent).
    /// </summary>
    public virtual Task<Response> UpdateEntityAsync(TableEntity entity, ETag ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken cancellationToken = default) =>
        WriteEntityAsync(entity, mode, ifMatch, cancellationToken);

    private async Task<Response> WriteEntityAsync(TableEntity entity, TableUpdateMode mode, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var writeId = NewWriteId();
        using var message = CreateMessage(mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put, EntityUri(entity.PartitionKey, entity.RowKey));
        message.Request.Headers.SetValue("Content-Type", "application/json");
        if (ifMatch is { } etag)
        {
            message.Request.Headers.SetValue("If-Match", etag.ToString());
        }
        message.Request.Content = RequestContent.Create(TableEntityJson.Serialize(entity, writeId));
        return await SendWriteAsync(message, entity, writeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a write. A refusal (409/412) of a retried attempt is checked against the stored
    /// entity: when it carries this call's write id, the first attempt applied and the write succeeded.
    /// </summary>
    private async Task<Response> SendWriteAsync(HttpMessage message, TableEntity entity, string writeId, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (!response.IsError)
        {
            return UpdateETag(entity, response);
        }
        if (response.Status is 409 or 412 && message.ProcessingContext.RetryNumber > 0
            && await AppliedAsync(entity, writeId, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            entity.ETag = stored.ETag;
            return response;
        }
        throw new RequestFailedException(response);
    }

    /// <summary>The stored entity when the write with <paramref name="writeId"/> is what it holds; null otherwise.</summary>
    private async Task<TableEntity?> AppliedAsync(TableEntity entity, string writeId, CancellationToken cancellationToken)
    {
        var stored = await GetEntityIfExistsAsync(entity.PartitionKey, entity.RowKey, cancellationToken).ConfigureAwait(false);
        return stored?.GetString(WriteIdColumn) == writeId ? stored : null;
    }

    private static string NewWriteId() => Guid.NewGuid().ToString("N");

    /// <summary>Reads one entity; throws with status 404 when it does not exist.</summary>
    public virtual async Task<Response<TableEntity>> GetEntityAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityUri(partitionKey, rowKey));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
        var etag = response.Headers.ETag?.ToString();
        return Response.FromValue(TableEntityJson.Deserialize(document.RootElement, etag), response);
    }

    /// <summary>Reads one entity, or null when it does not exist.</summary>
    public virtual async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetEntityAsync(partitionKey, rowKey, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Deletes the entity while its ETag matches (default: any). A missing entity is not an error.</summary>
    public virtual async Task DeleteEntityAsync(string partitionKey, string rowKey, ETag? ifMatch = null, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityUri(partitionKey, rowKey));
        message.Request.Headers.SetValue("If-Match", (ifMatch ?? ETag.All).ToString());
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>
    /// Runs the actions as one entity-group transaction: all of them take effect or none does.
    /// A refused step throws with its status (409 for an Add whose keys exist, 412 for a stale ETag).
    /// </summary>
    public virtual async Task<Response> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default)
    {
        var writeId = NewWriteId();
        var (body, contentType) = TableTransaction.Build(_endpoint, Name, actions, writeId);
        var builder = new UriBuilder(_endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/$batch";
        using var message = CreateMessage(RequestMethod.Post, builder.Uri);
        message.Request.Headers.SetValue("Content-Type", contentType);
        message.Request.Content = RequestContent.Create(body);
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        try
        {
            TableTransaction.ThrowIfFailed(response);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 && message.ProcessingContext.RetryNumber > 0
            && actions.FirstOrDefault(a => a.ActionType != TableTransactionActionType.Delete) is not null)
        {
            // A retry of a transaction that had applied (all steps or none: one step tells)?
            var written = actions.First(a => a.ActionType != TableTransactionActionType.Delete);
            if (await AppliedAsync(written.Entity, writeId, cancellationToken).ConfigureAwait(false) is null)
            {
                throw;
            }
        }
        return response;
    }

    /// <summary>One page of a query, and the token to ask for the next (null after the last).</summary>
    public virtual async Task<TablePage> QueryPageAsync(string? filter = null, IEnumerable<string>? select = null, int? top = null,
        string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (!string.IsNullOrEmpty(filter))
        {
            query.Add("$filter=" + Uri.EscapeDataString(filter));
        }
        if (select is not null)
        {
            // The keys are always selected: an entity is nothing without them.
            var columns = new[] { "PartitionKey", "RowKey" }.Concat(select).Distinct(StringComparer.Ordinal);
            query.Add("$select=" + Uri.EscapeDataString(string.Join(',', columns)));
        }
        if (top is { } t)
        {
            query.Add("$top=" + Math.Clamp(t, 1, 1000));
        }
        if (TableContinuation.Decode(continuationToken) is { } next)
        {
            query.Add("NextPartitionKey=" + Uri.EscapeDataString(next.PartitionKey));
            if (next.RowKey is not null)
            {
                query.Add("NextRowKey=" + Uri.EscapeDataString(next.RowKey));
            }
        }

        var builder = new UriBuilder(_endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + Uri.EscapeDataString(Name) + "()";
        builder.Query = string.Join('&', query);
        var uri = builder.Uri;
        using var message = CreateMessage(RequestMethod.Get, uri);
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
        var entities = document.RootElement.GetProperty("value").EnumerateArray()
            .Select(e => TableEntityJson.Deserialize(e))
            .ToList();

        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow);
        return new TablePage(entities, TableContinuation.Encode(nextPartition, nextRow));
    }

    /// <summary>Every entity matching the query, following continuation tokens.</summary>
    public virtual async IAsyncEnumerable<TableEntity> QueryAsync(string? filter = null, IEnumerable<string>? select = null, int? maxPerPage = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selected = select?.ToList();
        string? token = null;
        do
        {
            var page = await QueryPageAsync(filter, selected, maxPerPage, token, cancellationToken).ConfigureAwait(false);
            foreach (var entity in page.Entities)
            {
                yield return entity;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = StoragePipeline.CreateMessage(_pipeline, method, uri, StoragePipeline.TableVersion);
        message.Request.Headers.SetValue("Accept", JsonAccept);
        message.Request.Headers.SetValue("DataServiceVersion", "3.0");
        message.Request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        return message;
    }

    private Uri EntityUri(string partitionKey, string rowKey)
    {
        static string Key(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
        var builder = new UriBuilder(_endpoint);
        builder.Path = builder.Path.TrimEnd('/') + "/" + Uri.EscapeDataString(Name)
            + $"(PartitionKey='{Key(partitionKey)}',RowKey='{Key(rowKey)}')";
        return builder.Uri;
    }

    private static Response UpdateETag(TableEntity entity, Response response)
    {
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag;
        }
        return response;
    }
}
