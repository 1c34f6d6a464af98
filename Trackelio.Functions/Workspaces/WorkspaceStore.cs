using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

public interface IWorkspaceStore
{
    Task AddAsync(Workspace workspace, CancellationToken cancellationToken = default);
    Task<Workspace?> GetAsync(string workspaceId, CancellationToken cancellationToken = default);
}

/// <summary>Workspaces in table <c>workspaces</c>: one partition each, row key <c>""</c>.</summary>
public sealed class TableWorkspaceStore(StorageAccount account) : IWorkspaceStore
{
    private readonly DocumentTable<Workspace> _table = new(account.GetTableClient(StorageNames.Tables.Workspaces), TrackelioJson.Options);

    public Task AddAsync(Workspace workspace, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(workspace.Id, "", workspace, cancellationToken: cancellationToken);

    public async Task<Workspace?> GetAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, "", cancellationToken))?.Value;
}
