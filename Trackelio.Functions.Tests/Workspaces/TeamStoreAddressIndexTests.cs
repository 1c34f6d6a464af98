using Azure.Data.Tables;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Workspaces;

/// <summary>
/// Finding an address's memberships for signing in reads the address's index partition, not every workspace — on a
/// real Azurite of its own (the index mark and the members written "before the index" are this test's alone).
/// </summary>
public sealed class TeamStoreAddressIndexTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private StorageAccount _account = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        _account = _azurite.CreateAccount();
        await _account.GetTableClient(StorageNames.Tables.Members).CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    private static TeamMember Member(string workspaceId, string email, string status = "active") => new()
    {
        Id = Ids.New(Ids.User),
        WorkspaceId = workspaceId,
        Email = email,
        Role = TeamRole.Editor,
        Status = status,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task An_address_finds_its_memberships_in_every_workspace_whatever_the_case_and_nobody_elses()
    {
        var store = new TableTeamStore(_account);
        var first = Member(Ids.New(Ids.Workspace), "Ada@Example.com");
        var second = Member(Ids.New(Ids.Workspace), "ada@example.com");
        var other = Member(first.WorkspaceId, "grace@example.com");
        await store.AddAsync(first);
        await store.AddAsync(second, []);
        await store.AddAsync(other);

        var found = await store.FindByEmailAsync("ADA@example.com").Select(m => m.Id).ToListAsync();

        Assert.Equal(new[] { first.Id, second.Id }.Order(), found.Order());
        Assert.Equal([other.Id], await store.FindByEmailAsync("grace@example.com").Select(m => m.Id).ToListAsync());
        Assert.Empty(await store.FindByEmailAsync("nobody@example.com").ToListAsync());
    }

    [Fact]
    public async Task A_removed_member_is_no_longer_found_and_its_index_row_is_gone()
    {
        var store = new TableTeamStore(_account);
        var member = Member(Ids.New(Ids.Workspace), "leaving@example.com");
        await store.AddAsync(member);
        Assert.Single(await store.FindByEmailAsync("leaving@example.com").ToListAsync());

        await store.DeleteAsync(member.WorkspaceId, member.Id);

        Assert.Empty(await store.FindByEmailAsync("leaving@example.com").ToListAsync());
        var rows = await _account.GetTableClient(StorageNames.Tables.Members)
            .QueryAsync<TableEntity>(e => e.RowKey == member.WorkspaceId + "|" + member.Id).ToListAsync();
        Assert.Empty(rows);
    }

    [Fact]
    public async Task Members_stored_before_the_index_existed_are_indexed_by_the_first_lookup()
    {
        // Written as the store wrote them before there was an index: the member row alone.
        var table = _account.GetTableClient(StorageNames.Tables.Members);
        var documents = new Trackelio.Functions.Storage.Tables.DocumentTable<TeamMember>(table, TrackelioJson.Options);
        var old = Member(Ids.New(Ids.Workspace), "early@example.com");
        await documents.InsertAsync(old.WorkspaceId, old.Id, old, new Dictionary<string, object?> { ["Email"] = old.Email }, default);
        await table.DeleteEntityAsync("address|index", "built");

        var found = await new TableTeamStore(_account).FindByEmailAsync("early@example.com").ToListAsync();

        Assert.Equal(old.Id, Assert.Single(found).Id);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("address|index", "built")).HasValue);
        // A second instance finds the mark and does not scan again; the member is found through its index row.
        Assert.Single(await new TableTeamStore(_account).FindByEmailAsync("early@example.com").ToListAsync());
    }
}
