using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>A stored document and the ETag to update it with.</summary>
public sealed record Stored<T>(T Value, ETag ETag);

/// <summary>
/// A table whose entities each hold one JSON document (in binary columns <c>Data</c>,
/// <c>Data1</c>, … of up to 64 KiB, so a document may grow to the entity's 1 MiB limit),
/// beside any plain columns a query needs to filter on.
/// </summary>
public class DocumentTable<T>
    where T : class
{
    private const int ChunkBytes = 64 * 1024;
    private const int MaxChunks = 15;
    private readonly JsonSerializerOptions _json;

    /// <summary>For mocking.</summary>
    protected DocumentTable()
    {
        Table = null!;
        _json = null!;
    }

    public DocumentTable(TableClient table, JsonSerializerOptions json)
    {
        Table = table;
        _json = json;
    }

    public TableClient Table { get; }

    /// <summary>Inserts; throws with status 409 when the keys are taken.</summary>
    public virtual async Task<ETag> InsertAsync(string partitionKey, string rowKey, T value, IReadOnlyDictionary<string, object?>? columns = null,
        CancellationToken cancellationToken = default)
    {
        return await Table.AddEntityExactlyAsync(ToEntity(partitionKey, rowKey, value, columns), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces while the stored ETag is <paramref name="ifMatch"/>; throws with status 412 when it changed.</summary>
    public virtual async Task<ETag> ReplaceAsync(string partitionKey, string rowKey, T value, ETag ifMatch, IReadOnlyDictionary<string, object?>? columns = null,
        CancellationToken cancellationToken = default)
    {
        return await Table.UpdateEntityExactlyAsync(ToEntity(partitionKey, rowKey, value, columns), ifMatch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts or replaces, whatever is stored.</summary>
    public virtual async Task<ETag> UpsertAsync(string partitionKey, string rowKey, T value, IReadOnlyDictionary<string, object?>? columns = null,
        CancellationToken cancellationToken = default)
    {
        var response = await Table.UpsertEntityAsync(ToEntity(partitionKey, rowKey, value, columns), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? default;
    }

    public virtual async Task<Stored<T>?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default)
    {
        var entity = await Table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? new Stored<T>(Read(entity.Value!), entity.Value!.ETag) : null;
    }

    public virtual async IAsyncEnumerable<Stored<T>> QueryAsync(string? filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return new Stored<T>(Read(entity), entity.ETag);
        }
    }

    /// <summary>Deletes the entity; a missing one is not an error (the SDK answers its 404 without throwing).</summary>
    public virtual Task DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) =>
        Table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);

    public TableEntity ToEntity(string partitionKey, string rowKey, T value, IReadOnlyDictionary<string, object?>? columns = null)
    {
        var entity = new TableEntity(partitionKey, rowKey);
        foreach (var (name, column) in columns ?? new Dictionary<string, object?>())
        {
            entity[name] = column;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, _json);
        var chunks = (bytes.Length + ChunkBytes - 1) / ChunkBytes;
        if (chunks > MaxChunks)
        {
            throw new InvalidOperationException($"A {typeof(T).Name} of {bytes.Length} bytes is too large for one entity.");
        }
        for (var i = 0; i < Math.Max(1, chunks); i++)
        {
            entity[ColumnName(i)] = bytes.AsSpan(i * ChunkBytes, Math.Min(ChunkBytes, bytes.Length - (i * ChunkBytes))).ToArray();
        }
        return entity;
    }

    public T Read(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        for (var i = 0; entity.GetBinary(ColumnName(i)) is { } chunk; i++)
        {
            buffer.Write(chunk);
        }
        return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), _json)
            ?? throw new InvalidOperationException($"Entity {entity.PartitionKey}/{entity.RowKey} holds no {typeof(T).Name}.");
    }

    private static string ColumnName(int index) => index == 0 ? "Data" : "Data" + index;
}
