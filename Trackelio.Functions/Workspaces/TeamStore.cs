using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure;
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

    /// <summary>The memberships of an address in every workspace (its index partition, then each member by its keys).</summary>
    IAsyncEnumerable<TeamMember> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task UpdateAsync(TeamMember member, CancellationToken cancellationToken = default);

    Task DeleteAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records the member's activity on the member as stored now; a removed member stays removed.</summary>
    Task TouchAsync(string workspaceId, string userId, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>
/// Team members in table <c>members</c>: partition = workspace, row = user id. Other rows of the partition
/// (mail and events waiting in the outbox, <c>outbox|…</c>) are never read as members.
/// <para>
/// Beside them, an index of addresses for signing in (<see cref="FindByEmailAsync"/>): partition
/// <c>address|{SHA-256 of the lower-cased address}</c>, row <c>{workspace}|{user}</c>, so the memberships of an address
/// are one partition's rows, not a scan of every workspace. A row is written before its member and removed after it (they
/// are in different partitions, so not one transaction): a row whose member is gone or has another address is skipped.
/// Members stored before the index existed are indexed once, by the first lookup that finds no <c>address|index</c> mark.
/// </para>
/// </summary>
public sealed class TableTeamStore(StorageAccount account) : ITeamStore
{
    private const string AddressPartition = "address|";
    private const string IndexMarkPartition = "address|index";
    private const string IndexMarkRow = "built";

    private readonly DocumentTable<TeamMember> _table = new(account.GetTableClient(StorageNames.Tables.Members), TrackelioJson.Options);
    private volatile bool _indexBuilt;

    public async Task AddAsync(TeamMember member, CancellationToken cancellationToken = default)
    {
        await IndexAsync(member, cancellationToken);
        await _table.InsertAsync(member.WorkspaceId, member.Id, member,
            new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() }, cancellationToken);
    }

    public async Task AddAsync(TeamMember member, IReadOnlyList<TableTransactionAction> with, CancellationToken cancellationToken = default)
    {
        await IndexAsync(member, cancellationToken);
        await _table.Table.SubmitTransactionExactlyAsync([new(TableTransactionActionType.Add, Entity(member)), .. with], cancellationToken);
    }

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

    public async Task UpdateAsync(TeamMember member, CancellationToken cancellationToken = default)
    {
        await IndexAsync(member, cancellationToken);
        await _table.UpsertAsync(member.WorkspaceId, member.Id, member,
            new Dictionary<string, object?> { ["Email"] = member.Email.ToLowerInvariant() }, cancellationToken);
    }

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

    public async Task DeleteAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        var member = await GetAsync(workspaceId, userId, cancellationToken);
        await _table.DeleteAsync(workspaceId, userId, cancellationToken);
        if (member is not null)
        {
            await _table.Table.DeleteEntityAsync(AddressPartition + AddressHash(member.Email), workspaceId + "|" + userId, ETag.All, cancellationToken);
        }
    }

    public async IAsyncEnumerable<TeamMember> FindByEmailAsync(string email,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureIndexAsync(cancellationToken);
        var partition = AddressPartition + AddressHash(email);
        await foreach (var row in _table.Table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
            select: ["RowKey"], cancellationToken: cancellationToken))
        {
            var keys = row.RowKey.Split('|');
            if (keys.Length == 2 && await GetAsync(keys[0], keys[1], cancellationToken) is { } member
                && string.Equals(member.Email, email, StringComparison.OrdinalIgnoreCase))
            {
                yield return member;
            }
        }
    }

    /// <summary>The index row of the member's address (kept when it is there already).</summary>
    private async Task IndexAsync(TeamMember member, CancellationToken cancellationToken) =>
        await _table.Table.UpsertEntityAsync(new TableEntity(AddressPartition + AddressHash(member.Email), member.WorkspaceId + "|" + member.Id),
            TableUpdateMode.Replace, cancellationToken);

    /// <summary>Indexes every member once (those stored before the index existed), then marks the index built.</summary>
    private async Task EnsureIndexAsync(CancellationToken cancellationToken)
    {
        if (_indexBuilt)
        {
            return;
        }
        var mark = await _table.Table.GetEntityIfExistsAsync<TableEntity>(IndexMarkPartition, IndexMarkRow, select: ["RowKey"], cancellationToken: cancellationToken);
        if (!mark.HasValue)
        {
            await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"RowKey ge {Ids.User + "_"} and RowKey lt {Ids.User + "`"}"), cancellationToken))
            {
                await IndexAsync(stored.Value, cancellationToken);
            }
            await _table.Table.UpsertEntityAsync(new TableEntity(IndexMarkPartition, IndexMarkRow), TableUpdateMode.Replace, cancellationToken);
        }
        _indexBuilt = true;
    }

    /// <summary>The lower-cased address's SHA-256 in hex: a key without the characters keys may not hold, and no address in the clear.</summary>
    private static string AddressHash(string email) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.ToLowerInvariant())));

    public async IAsyncEnumerable<TeamMember> ListAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _table.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {Ids.User + "_"} and RowKey lt {Ids.User + "`"}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }
}
