using Azure;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Storage;

public sealed class TableClientTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _table = new TableClient(azurite.Connection, "t" + Guid.NewGuid().ToString("N"));
        await _table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static TableEntity Entity(string pk, string rk, params (string Name, object? Value)[] properties)
    {
        var entity = new TableEntity(pk, rk);
        foreach (var (name, value) in properties)
        {
            entity[name] = value;
        }
        return entity;
    }

    [Fact]
    public async Task Create_is_idempotent()
    {
        await _table.CreateIfNotExistsAsync();
        await _table.CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task Every_property_type_round_trips()
    {
        var when = new DateTimeOffset(2025, 1, 14, 9, 41, 22, 123, TimeSpan.Zero);
        var id = Guid.NewGuid();
        await _table.AddEntityAsync(Entity("p", "types",
            ("S", "text with 'quotes' & ünïcödé"), ("I", 7), ("L", 1L << 40), ("D", 2.0), ("B", true), ("T", when), ("G", id), ("X", new byte[] { 1, 2, 3 })));

        var read = (await _table.GetEntityAsync("p", "types")).Value;

        Assert.Equal("text with 'quotes' & ünïcödé", read.GetString("S"));
        Assert.Equal(7, read.GetInt32("I"));
        Assert.Equal(1L << 40, read.GetInt64("L"));
        Assert.Equal(2.0, read.GetDouble("D"));
        Assert.True(read.GetBoolean("B"));
        Assert.Equal(when, read.GetDateTimeOffset("T"));
        Assert.Equal(id, read["G"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.GetBinary("X"));
        Assert.NotEqual(default, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Fact]
    public async Task Insert_twice_is_a_409_conflict()
    {
        await _table.AddEntityAsync(Entity("p", "dup"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(Entity("p", "dup")));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task Upsert_replace_removes_properties_and_merge_keeps_them()
    {
        await _table.UpsertEntityAsync(Entity("p", "u", ("A", "a"), ("B", "b")));
        await _table.UpsertEntityAsync(Entity("p", "u", ("A", "a2")), TableUpdateMode.Replace);
        var replaced = (await _table.GetEntityAsync("p", "u")).Value;

        await _table.UpsertEntityAsync(Entity("p", "u", ("C", "c")), TableUpdateMode.Merge);
        var merged = (await _table.GetEntityAsync("p", "u")).Value;

        Assert.Equal("a2", replaced.GetString("A"));
        Assert.Null(replaced["B"]);
        Assert.Equal("a2", merged.GetString("A"));
        Assert.Equal("c", merged.GetString("C"));
    }

    [Fact]
    public async Task Update_with_a_stale_etag_is_412_and_changes_nothing()
    {
        var entity = Entity("p", "occ", ("V", 1));
        await _table.AddEntityAsync(entity);
        var staleETag = entity.ETag;
        await _table.UpdateEntityAsync(Entity("p", "occ", ("V", 2)), staleETag);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpdateEntityAsync(Entity("p", "occ", ("V", 3)), staleETag));

        Assert.Equal(412, error.Status);
        Assert.Equal(2, (await _table.GetEntityAsync("p", "occ")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Get_of_a_missing_entity_is_404_or_null()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.GetEntityAsync("p", "missing"));

        Assert.Equal(404, error.Status);
        Assert.Null(await _table.GetEntityIfExistsAsync("p", "missing"));
    }

    [Fact]
    public async Task Delete_removes_and_tolerates_absence()
    {
        await _table.AddEntityAsync(Entity("p", "del"));

        await _table.DeleteEntityAsync("p", "del");
        await _table.DeleteEntityAsync("p", "del");

        Assert.Null(await _table.GetEntityIfExistsAsync("p", "del"));
    }

    [Fact]
    public async Task Keys_with_quotes_and_spaces_work()
    {
        await _table.AddEntityAsync(Entity("it's a key", "row 'one'", ("V", 1)));

        var read = await _table.GetEntityIfExistsAsync("it's a key", "row 'one'");

        Assert.Equal(1, read?.GetInt32("V"));
    }

    [Fact]
    public async Task Query_with_filter_select_and_top_follows_continuations()
    {
        for (var i = 0; i < 25; i++)
        {
            await _table.AddEntityAsync(Entity("q", i.ToString("d3", System.Globalization.CultureInfo.InvariantCulture), ("N", i), ("Extra", "x")));
        }
        await _table.AddEntityAsync(Entity("other", "000", ("N", 0)));

        var page = await _table.QueryPageAsync(TableFilter.Create($"PartitionKey eq {"q"}"), ["N"], top: 10);
        var all = new List<TableEntity>();
        await foreach (var entity in _table.QueryAsync(TableFilter.Create($"PartitionKey eq {"q"} and N ge {5}"), ["N"], maxPerPage: 7))
        {
            all.Add(entity);
        }

        Assert.Equal(10, page.Entities.Count);
        Assert.NotNull(page.ContinuationToken);
        Assert.Null(page.Entities[0]["Extra"]);
        Assert.Equal(Enumerable.Range(5, 20), all.Select(e => e.GetInt32("N")!.Value));
    }

    [Fact]
    public async Task Transaction_applies_every_action()
    {
        var existing = Entity("tx", "existing", ("V", 1));
        await _table.AddEntityAsync(existing);

        await _table.SubmitTransactionAsync([
            new(TableTransactionActionType.Add, Entity("tx", "new", ("V", 10))),
            new(TableTransactionActionType.UpdateReplace, Entity("tx", "existing", ("V", 2)), existing.ETag),
            new(TableTransactionActionType.UpsertMerge, Entity("tx", "merged", ("V", 3))),
        ]);

        Assert.Equal(10, (await _table.GetEntityAsync("tx", "new")).Value.GetInt32("V"));
        Assert.Equal(2, (await _table.GetEntityAsync("tx", "existing")).Value.GetInt32("V"));
        Assert.Equal(3, (await _table.GetEntityAsync("tx", "merged")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Transaction_with_a_stale_etag_is_412_and_applies_nothing()
    {
        var existing = Entity("tx2", "existing", ("V", 1));
        await _table.AddEntityAsync(existing);
        var stale = existing.ETag;
        await _table.UpdateEntityAsync(Entity("tx2", "existing", ("V", 2)), stale);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.SubmitTransactionAsync([
            new(TableTransactionActionType.Add, Entity("tx2", "new")),
            new(TableTransactionActionType.UpdateReplace, Entity("tx2", "existing", ("V", 3)), stale),
        ]));

        Assert.Equal(412, error.Status);
        Assert.Null(await _table.GetEntityIfExistsAsync("tx2", "new"));
        Assert.Equal(2, (await _table.GetEntityAsync("tx2", "existing")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Transaction_adding_an_existing_entity_is_409_and_applies_nothing()
    {
        await _table.AddEntityAsync(Entity("tx3", "taken"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.SubmitTransactionAsync([
            new(TableTransactionActionType.UpsertReplace, Entity("tx3", "other", ("V", 1))),
            new(TableTransactionActionType.Add, Entity("tx3", "taken")),
        ]));

        Assert.Equal(409, error.Status);
        Assert.Null(await _table.GetEntityIfExistsAsync("tx3", "other"));
    }

    [Fact]
    public async Task Transaction_across_partitions_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync([
            new(TableTransactionActionType.Add, Entity("a", "1")),
            new(TableTransactionActionType.Add, Entity("b", "1")),
        ]));
    }

    [Fact]
    public async Task Injected_filter_value_matches_nothing()
    {
        await _table.AddEntityAsync(Entity("secret", "1"));
        await _table.AddEntityAsync(Entity("mine", "1"));

        var found = new List<TableEntity>();
        foreach (var hostile in new[] { "' or PartitionKey ne '", "mine' or PartitionKey eq 'secret", "x') or (PartitionKey ne 'x" })
        {
            await foreach (var entity in _table.QueryAsync(TableFilter.Create($"PartitionKey eq {hostile}")))
            {
                found.Add(entity);
            }
        }

        Assert.Empty(found);
    }
}
