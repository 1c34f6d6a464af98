using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Workspaces;

public interface ITeamStore
{
    Task AddAsync(TeamMember member, CancellationToken cancellationToken = default);
    Task<TeamMember?> GetAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);
    IAsyncEnumerable<TeamMember> ListAsync(string workspaceId, CancellationToken cancellationToken = default);

    Task UpdateAsync(TeamMember member, CancellationToken cancellationToken = default);

    Task DeleteAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records the member's activity on the member as stored now; a removed member stays removed.</summary>
    Task TouchAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>Team members in table <c>members</c>: partition = workspace, row = user id.</summary>
public sealed class TableTeamStore(StorageAccount account) : ITeamStore
{
    private readonly DocumentTable<TeamMember> _table = new(account.GetTableClient(StorageNames.Tables.Members), TrackelioJson.Options);

    public Task AddAsync(TeamMember member, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(member.WorkspaceId, member.Id, member,
            new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() }, cancellationToken);

    public async Task<TeamMember?> GetAsync(string workspaceId, string userId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, userId, cancellationToken))?.Value;

    public Task UpdateAsync(TeamMember member, CancellationToken cancellationToken = default) =>
        _table.UpsertAsync(member.WorkspaceId, member.Id, member,
            new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() }, cancellationToken);

    public async Task TouchAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (await _table.GetAsync(workspaceId, userId, cancellationToken) is not { } stored)
        {
            return;
        }
        try
        {
            await _table.ReplaceAsync(workspaceId, userId, stored.Value with { LastActiveAt = at }, stored.ETag,
                new Dictionary<string, object?> { ["Email"] = stored.Value.Email.ToLowerInvariant() }, cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.Status is 404 or 412)
        {
        }
    }

    public Task DeleteAsync(string workspaceId, string userId, CancellationToken cancellationToken = default) =>
        _table.DeleteAsync(workspaceId, userId, cancellationToken);

    public async IAsyncEnumerable<TeamMember> ListAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }
}
