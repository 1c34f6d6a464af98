using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

public interface IWorkspaceStore
{
    Task AddAsync(Workspace workspace, CancellationToken cancellationToken = default);
    Task<Workspace?> GetAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Applies <paramref name="change"/> to the workspace (again to a newer one when someone else changed it meanwhile).</summary>
    Task<UpdateOutcome<Workspace>> UpdateAsync(string workspaceId, Func<Workspace, Workspace?> change, CancellationToken cancellationToken = default);

    /// <summary>Every workspace (for daily work across all of them).</summary>
    IAsyncEnumerable<Workspace> ListAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>Workspaces in table <c>workspaces</c>: one partition each, row key <c>""</c>.</summary>
public sealed class TableWorkspaceStore(StorageAccount account) : IWorkspaceStore
{
    private readonly DocumentTable<Workspace> _table = new(account.GetTableClient(StorageNames.Tables.Workspaces), TrackelioJson.Options);

    public Task AddAsync(Workspace workspace, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(workspace.Id, "", workspace, cancellationToken: cancellationToken);

    public async Task<Workspace?> GetAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, "", cancellationToken))?.Value;

    public Task<UpdateOutcome<Workspace>> UpdateAsync(string workspaceId, Func<Workspace, Workspace?> change, CancellationToken cancellationToken = default) =>
        OptimisticUpdate.RunAsync(ct => _table.GetAsync(workspaceId, "", ct), change,
            (workspace, ifMatch, ct) => _table.ReplaceAsync(workspaceId, "", workspace, ifMatch, cancellationToken: ct), cancellationToken);

    public async IAsyncEnumerable<Workspace> ListAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync("RowKey eq ''", cancellationToken))
        {
            yield return stored.Value;
        }
    }
}
