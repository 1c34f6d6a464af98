using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// A workspace's small set of documents (surveys, announcements) in one table partition. The
/// widget's GETs read them from memory: the whole set is cached per workspace for 5 s (changes
/// reach visitors within that, and at once on the instance that made them).
/// </summary>
public class WorkspaceDocuments<T>(TableClient table, Func<T, string> id, Func<T, string> workspace, IMemoryCache cache)
    where T : class
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(5);
    private readonly DocumentTable<T> _documents = new(table, Api.TrackelioJson.Options);

    public Task AddAsync(T document, CancellationToken cancellationToken = default) =>
        Changed(workspace(document), _documents.InsertAsync(workspace(document), id(document), document, cancellationToken: cancellationToken));

    public Task<Stored<T>?> GetAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        _documents.GetAsync(workspaceId, documentId, cancellationToken);

    public Task ReplaceAsync(T document, Azure.ETag ifMatch, CancellationToken cancellationToken = default) =>
        Changed(workspace(document), _documents.ReplaceAsync(workspace(document), id(document), document, ifMatch, cancellationToken: cancellationToken));

    public Task DeleteAsync(string workspaceId, string documentId, CancellationToken cancellationToken = default) =>
        Changed(workspaceId, _documents.DeleteAsync(workspaceId, documentId, cancellationToken));

    public async Task<IReadOnlyList<T>> ListAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var stored in _documents.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"), cancellationToken))
        {
            list.Add(stored.Value);
        }
        return list;
    }

    /// <summary>The workspace's documents as the widget reads them: from memory while fresh.</summary>
    public async Task<IReadOnlyList<T>> CachedAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        await cache.GetOrCreateAsync((typeof(T), workspaceId), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheDuration;
            entry.Size = 1;
            return ListAsync(workspaceId, cancellationToken);
        }) ?? [];

    /// <summary>
    /// Reads the document, lets <paramref name="change"/> make the new version (or report field
    /// errors), and writes it while it is unchanged, retrying on a concurrent change. Null when
    /// there is no such document.
    /// </summary>
    public async Task<(T? Document, IReadOnlyList<Api.FieldError> Errors)> ChangeAsync(string workspaceId, string documentId,
        Func<T, Api.FieldReader, Task<T>> change, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await GetAsync(workspaceId, documentId, cancellationToken) is not { } stored)
            {
                return (null, []);
            }
            var fields = new Api.FieldReader();
            var changed = await change(stored.Value, fields);
            if (fields.HasErrors)
            {
                return (stored.Value, fields.Errors);
            }
            try
            {
                await ReplaceAsync(changed, stored.ETag, cancellationToken);
                return (changed, []);
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
            }
        }
    }

    private async Task Changed(string workspaceId, Task write)
    {
        await write;
        cache.Remove((typeof(T), workspaceId));
    }
}
