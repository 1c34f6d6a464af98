using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

/// <summary>A public project key (<c>pk_live_…</c>) and the widget it opens; <see cref="RetiresAt"/> is set once it was rotated out.</summary>
public sealed record ProjectKey
{
    public required string Key { get; init; }
    public required string WorkspaceId { get; init; }
    public required string WidgetId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RetiresAt { get; init; }

    public bool IsValidAt(DateTimeOffset now) => RetiresAt is null || RetiresAt > now;
}

public interface IProjectKeyStore
{
    Task AddAsync(ProjectKey key, CancellationToken cancellationToken = default);
    Task<ProjectKey?> FindAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Lets the key work until <paramref name="retiresAt"/> and no longer.</summary>
    Task RetireAsync(string key, DateTimeOffset retiresAt, CancellationToken cancellationToken = default);
}

/// <summary>Project keys in table <c>projectkeys</c>: partition = the key, so resolving one is a point read.</summary>
public sealed class TableProjectKeyStore(StorageAccount account) : IProjectKeyStore
{
    private readonly DocumentTable<ProjectKey> _table = new(account.GetTableClient(StorageNames.Tables.ProjectKeys), WorkspaceJson.Options);

    public Task AddAsync(ProjectKey key, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(key.Key, "", key, Columns(key), cancellationToken);

    public async Task<ProjectKey?> FindAsync(string key, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(key, "", cancellationToken))?.Value;

    public async Task RetireAsync(string key, DateTimeOffset retiresAt, CancellationToken cancellationToken = default)
    {
        var stored = await _table.GetAsync(key, "", cancellationToken);
        if (stored is null)
        {
            return;
        }
        var retired = stored.Value with { RetiresAt = retiresAt };
        await _table.ReplaceAsync(key, "", retired, stored.ETag, Columns(retired), cancellationToken);
    }

    private static Dictionary<string, object?> Columns(ProjectKey key) => new()
    {
        ["WorkspaceId"] = key.WorkspaceId,
        ["WidgetId"] = key.WidgetId,
    };
}
