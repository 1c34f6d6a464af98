using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Workspaces;

public interface ITeamStore
{
    Task AddAsync(TeamMember member, CancellationToken cancellationToken = default);

    /// <summary>Adds the member with <paramref name="with"/> (rows of the workspace's partition of <c>members</c>) in one transaction; 409 when the id is taken.</summary>
    Task AddAsync(TeamMember member, IReadOnlyList<TableTransactionAction> with, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> to the member (again to a newer one when someone else changed it meanwhile), with the
    /// rows <paramref name="with"/> gives for the changed member in the same transaction (an outbox row: <c>Webhooks/EventOutbox</c>).
    /// </summary>
    Task<UpdateOutcome<TeamMember>> UpdateAsync(string workspaceId, string userId, Func<TeamMember, TeamMember?> change,
        TransactionRows<TeamMember>? with = null, CancellationToken cancellationToken = default);
    Task<TeamMember?> GetAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);
    IAsyncEnumerable<TeamMember> ListAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>The memberships of an address in every workspace (a query across partitions, on the lower-cased <c>Email</c> column).</summary>
    IAsyncEnumerable<TeamMember> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task UpdateAsync(TeamMember member, CancellationToken cancellationToken = default);

    Task DeleteAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records the member's activity on the member as stored now; a removed member stays removed.</summary>
    Task TouchAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Team members in table <c>members</c>: partition = workspace, row = user id. Other rows of the partition
/// (mail and events waiting in the outbox, <c>outbox|…</c>) are never read as members.
/// </summary>
public sealed class TableTeamStore(StorageAccount account) : ITeamStore
{
    private readonly DocumentTable<TeamMember> _table = new(account.GetTableClient(StorageNames.Tables.Members), TrackelioJson.Options);

    public Task AddAsync(TeamMember member, CancellationToken cancellationToken = default) =>
        _table.InsertAsync(member.WorkspaceId, member.Id, member,
            new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() }, cancellationToken);

    public Task AddAsync(TeamMember member, IReadOnlyList<TableTransactionAction> with, CancellationToken cancellationToken = default) =>
        _table.Table.SubmitTransactionExactlyAsync([new(TableTransactionActionType.Add, Entity(member)), .. with], cancellationToken);

    public Task<UpdateOutcome<TeamMember>> UpdateAsync(string workspaceId, string userId, Func<TeamMember, TeamMember?> change,
        TransactionRows<TeamMember>? with = null, CancellationToken cancellationToken = default) =>
        OptimisticUpdate.RunAsync(ct => _table.GetAsync(workspaceId, userId, ct), change, async (member, ifMatch, ct) =>
        {
            IReadOnlyList<TableTransactionAction> rows = with is null ? [] : await with(member, ct);
            await _table.Table.SubmitTransactionExactlyAsync([new(TableTransactionActionType.UpdateReplace, Entity(member), ifMatch), .. rows], ct);
        }, cancellationToken);

    /// <summary>The member's entity: its document, and its address lower-cased in a column of its own.</summary>
    private TableEntity Entity(TeamMember member) =>
        _table.ToEntity(member.WorkspaceId, member.Id, member, new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() });

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

    public async IAsyncEnumerable<TeamMember> FindByEmailAsync(string email,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"Email eq {email.ToLowerInvariant()}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }

    public async IAsyncEnumerable<TeamMember> ListAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {Ids.User + "_"} and RowKey lt {Ids.User + "`"}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }
}
