using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

public interface IApiKeyStore
{
    /// <summary>Stores the key under the hash of its secret.</summary>
    Task AddAsync(ApiKey key, string secretHash, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default);
}

/// <summary>Management keys in table <c>apikeys</c>: partition = SHA-256 of the secret, so a lookup is one point read.</summary>
public sealed class TableApiKeyStore(StorageAccount account) : IApiKeyStore
{
    private readonly DocumentTable<ApiKey> _table = new(account.GetTableClient(StorageNames.Tables.ApiKeys), TrackelioJson.Options);

    public Task AddAsync(ApiKey key, string secretHash, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(secretHash, "", key,
            new Dictionary<string, object?> { ["WorkspaceId"] = key.WorkspaceId, ["KeyId"] = key.Id }, cancellationToken);

    public async Task<ApiKey?> FindBySecretHashAsync(string secretHash, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(secretHash, "", cancellationToken))?.Value;
}
