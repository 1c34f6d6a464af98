using System.Net;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// <c>?page=N</c> far into the list jumps by the per-day totals (TableFeedbackStore.SkipAsync)
/// instead of reading every key before the page: it must land on exactly the record a key-by-key
/// skip lands on, in both orders, at day boundaries, and after a delete on a closed day.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackPageJumpTests(TrackelioApp app)
{
    private const int Records = 1_320;

    [Fact]
    public async Task A_far_page_lands_where_reading_every_key_lands()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var ids = await SeedAsync(workspace.WorkspaceId);
        var store = app.Get<IFeedbackStore>();
        var newestFirst = ids.OrderByDescending(id => id, StringComparer.Ordinal).ToList();
        var oldestFirst = ids.Order(StringComparer.Ordinal).ToList();

        // Counts at, around and past the seeded days' boundaries; from TableFeedbackStore.JumpFrom on, the jump is taken.
        foreach (var count in new[] { TableFeedbackStore.JumpFrom, TableFeedbackStore.JumpFrom + 1, 1_045, 1_046, 1_100, 1_101, 1_200, Records - 1, Records })
        {
            Assert.Equal(TableFeedbackStore.DescRowKey(newestFirst[count - 1]),
                await store.SkipAsync(workspace.WorkspaceId, new FeedbackQuery(), count));
            Assert.Equal(oldestFirst[count - 1], await store.SkipAsync(workspace.WorkspaceId, new FeedbackQuery { NewestFirst = false }, count));
        }
        Assert.Null(await store.SkipAsync(workspace.WorkspaceId, new FeedbackQuery(), Records + 1));
        Assert.Null(await store.SkipAsync(workspace.WorkspaceId, new FeedbackQuery { NewestFirst = false }, Records + 1));

        var client = app.CreateManagementClient(workspace.AdminKey);
        Assert.Equal(newestFirst.Skip(1_000).Take(50), await PageAsync(client, "/v1/feedback?page=21&limit=50"));
        Assert.Equal(newestFirst.Skip(250).Take(50), await PageAsync(client, "/v1/feedback?page=6&limit=50"));
        // The page read is cut to the days that hold it; its next link must still be right, and absent only at the end.
        var (page26, next26) = await PageWithNextAsync(client, "/v1/feedback?page=26&limit=50");
        Assert.Equal(newestFirst.Skip(1_250).Take(50), page26);
        Assert.NotNull(next26);
        var (page27, next27) = await PageWithNextAsync(client, next26!);
        Assert.Equal(newestFirst.Skip(1_300), page27);
        Assert.Null(next27);
        var (page5, next5) = await PageWithNextAsync(client, "/v1/feedback?page=5&limit=200");
        Assert.Equal(newestFirst.Skip(800).Take(200), page5);
        Assert.Equal(newestFirst.Skip(1_000).Take(200), (await PageWithNextAsync(client, next5!)).Ids);
        Assert.Equal(oldestFirst.Skip(1_200).Take(100), await PageAsync(client, "/v1/feedback?page=13&limit=100&sort=created_at:asc"));

        // A delete on a closed day marks the day; the next jump re-tallies it and moves by one.
        var deleted = newestFirst[1_010];
        (await client.DeleteAsync($"/v1/feedback/{deleted}")).EnsureSuccessStatusCode();
        var remaining = newestFirst.Where(id => id != deleted).ToList();
        Assert.Equal(remaining.Skip(1_000).Take(50), await PageAsync(client, "/v1/feedback?page=21&limit=50"));
    }

    [Fact]
    public async Task A_filtered_far_page_still_reads_keys_and_lands_right()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var ids = await SeedAsync(workspace.WorkspaceId);
        var client = app.CreateManagementClient(workspace.AdminKey);
        var newestFirst = ids.OrderByDescending(id => id, StringComparer.Ordinal).ToList();
        // Every seeded record is "bug" on even numbers: the filter keeps half, so page 11 of 50 is past 500 of them.
        var bugs = newestFirst.Where(id => ids.IndexOf(id) % 2 == 0).ToList();

        Assert.Equal(bugs.Skip(500).Take(50), await PageAsync(client, "/v1/feedback?page=11&limit=50&item_type=bug"));
    }

    private static async Task<(List<string> Ids, string? Next)> PageWithNextAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        var next = body.GetProperty("links").GetProperty("next");
        return (body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList(),
            next.ValueKind == System.Text.Json.JsonValueKind.Null ? null : next.GetString());
    }

    private static async Task<List<string>> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>
    /// <see cref="Records"/> records over the last 24 days (today included), written as the store writes
    /// them (both rows, 50 per transaction; a past day's write marks the day as the store's writes do).
    /// </summary>
    private async Task<List<string>> SeedAsync(string workspaceId)
    {
        var table = new DocumentTable<FeedbackRecord>(app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        var now = DateTimeOffset.UtcNow;
        var records = Enumerable.Range(0, Records).Select(i =>
        {
            var at = now.AddDays(-(i % 24)).AddSeconds(-(i + 1));
            return new FeedbackRecord
            {
                Id = Ids.New(Ids.Feedback, at),
                WorkspaceId = workspaceId,
                Source = "api",
                Body = $"Seeded {i}",
                ItemType = i % 2 == 0 ? "bug" : "idea",
                CreatedAt = at,
                UpdatedAt = at,
            };
        }).ToList();
        await Parallel.ForEachAsync(records.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, ct) =>
        {
            var actions = batch.SelectMany(record => new TableTransactionAction[]
            {
                new(TableTransactionActionType.Add, table.ToEntity(workspaceId, record.Id, record, TableFeedbackStore.Columns(record))),
                new(TableTransactionActionType.Add, table.ToEntity(workspaceId, TableFeedbackStore.DescRowKey(record.Id), record, TableFeedbackStore.Columns(record))),
            }).ToList();
            await table.Table.SubmitTransactionAsync(actions, ct);
        });
        return records.Select(r => r.Id).ToList();
    }
}
