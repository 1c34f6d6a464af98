using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Workspaces;

public interface IApiKeyStore
{
    /// <summary>Stores the key under the hash of its secret, and in its workspace's list.</summary>
    Task AddAsync(ApiKey key, string secretHash, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default);

    Task<ApiKey?> GetAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default);

    IAsyncEnumerable<ApiKey> ListAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the key's record in both places it is kept.</summary>
    Task UpdateAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the key was used at <paramref name="at"/>: on the record as it is now (never
    /// a cached copy), only while the key is not revoked, and only if nobody changed it meanwhile.
    /// </summary>
    Task TouchAsync(string workspaceId, string keyId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Management keys in table <c>apikeys</c>, twice: under partition = SHA-256 of the secret (so
/// authenticating is one point read) and under partition = workspace, row = key id (so a
/// workspace lists its keys without a scan). The secret itself is never stored.
/// </summary>
public sealed class TableApiKeyStore(StorageAccount account) : IApiKeyStore
{
    private const string HashColumn = "SecretHash";
    private readonly DocumentTable<ApiKey> _table = new(account.GetTableClient(StorageNames.Tables.ApiKeys), TrackelioJson.Options);

    public async Task AddAsync(ApiKey key, string secretHash, CancellationToken cancellationToken = default)
    {
        await _table.InsertAsync(key.WorkspaceId, key.Id, key, new Dictionary<string, object?> { [HashColumn] = secretHash }, cancellationToken);
        await _table.InsertAsync(secretHash, "", key, new Dictionary<string, object?> { ["WorkspaceId"] = key.WorkspaceId, ["KeyId"] = key.Id }, cancellationToken);
    }

    public async Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(secretHash, "", cancellationToken))?.Value;

    public async Task<ApiKey?> GetAsync(string workspaceId, string keyId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, keyId, cancellationToken))?.Value;

    public async IAsyncEnumerable<ApiKey> ListAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }

    public async Task TouchAsync(string workspaceId, string keyId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var listed = await _table.Table.GetEntityOrNullAsync(workspaceId, keyId, cancellationToken);
        var listedKey = listed is null ? null : _table.Read(listed);
        var hash = listed?.GetString(HashColumn);
        var authenticating = hash is null ? null : await _table.GetAsync(hash, "", cancellationToken);
        if (listed is null || listedKey is null || hash is null || authenticating is null || authenticating.Value.RevokedAt is not null || listedKey.RevokedAt is not null)
        {
            return;
        }
        try
        {
            await _table.ReplaceAsync(hash, "", authenticating.Value with { LastUsedAt = at },
                authenticating.ETag, new Dictionary<string, object?> { ["WorkspaceId"] = workspaceId, ["KeyId"] = keyId }, cancellationToken);
            await _table.ReplaceAsync(workspaceId, keyId, listedKey with { LastUsedAt = at },
                listed.ETag, new Dictionary<string, object?> { [HashColumn] = hash }, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Changed (revoked, rotated) meanwhile: that change wins; the use is recorded next time.
        }
    }

    public async Task UpdateAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        var listed = await _table.Table.GetEntityAsync<TableEntity>(key.WorkspaceId, key.Id, cancellationToken: cancellationToken);
        var hash = listed.Value.GetString(HashColumn) ?? throw new InvalidOperationException($"Key {key.Id} has no secret hash.");
        // The authenticating row first: a revocation takes effect even if the second write fails.
        await _table.UpsertAsync(hash, "", key, new Dictionary<string, object?> { ["WorkspaceId"] = key.WorkspaceId, ["KeyId"] = key.Id }, cancellationToken);
        await _table.UpsertAsync(key.WorkspaceId, key.Id, key, new Dictionary<string, object?> { [HashColumn] = hash }, cancellationToken);
    }
}
