using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Analytics;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// Analytics over closed days reads their stored per-day tallies (DailyFigures), and a tally never
/// outlives a change: a status change or a delete of an old record is visible in the next summary.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AnalyticsHistoryTests(TrackelioApp app)
{
    [Fact]
    public async Task Closed_days_are_tallied_once_and_tallied_again_after_a_change()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var store = app.Get<IFeedbackStore>();
        var days = new[] { 3, 3, 5, 12 }; // days ago
        var ids = new List<string>();
        foreach (var (ago, i) in days.Select((d, i) => (d, i)))
        {
            var at = DateTimeOffset.UtcNow.AddDays(-ago);
            var record = new FeedbackRecord
            {
                Id = Ids.New(Ids.Feedback, at),
                WorkspaceId = workspace.WorkspaceId,
                WidgetId = workspace.WidgetId,
                Source = "widget",
                Body = "old " + i,
                ItemType = "bug",
                Rating = i + 1,
                CreatedAt = at,
                UpdatedAt = at,
            };
            Assert.True(await store.CreateAsync(record));
            ids.Add(record.Id);
        }

        var first = await SummaryAsync(client);
        var tallies = await TallyRowsAsync(workspace.WorkspaceId);
        var again = await SummaryAsync(client);
        (await client.PatchAsync($"/v1/feedback/{ids[0]}", Json.Body(new { status = "resolved" }))).EnsureSuccessStatusCode();
        var afterPatch = await SummaryAsync(client);
        (await client.DeleteAsync($"/v1/feedback/{ids[3]}")).EnsureSuccessStatusCode();
        var afterDelete = await SummaryAsync(client);

        Assert.Equal(4, first.GetProperty("total_submissions").GetInt32());
        Assert.Equal(2.5, first.GetProperty("average_rating").GetDouble());
        Assert.Equal(4, first.GetProperty("by_status").GetProperty("new").GetInt32());
        Assert.True(tallies >= 3, $"{tallies} day tallies stored"); // the three closed days that hold records, at least
        foreach (var figure in new[] { "total_submissions", "average_rating", "response_rate", "by_status", "by_item_type" })
        {
            Assert.Equal(first.GetProperty(figure).ToString(), again.GetProperty(figure).ToString());
        }
        Assert.Equal(3, afterPatch.GetProperty("by_status").GetProperty("new").GetInt32());
        Assert.Equal(1, afterPatch.GetProperty("by_status").GetProperty("resolved").GetInt32());
        Assert.Equal(0.25, afterPatch.GetProperty("response_rate").GetDouble());
        Assert.Equal(3, afterDelete.GetProperty("total_submissions").GetInt32());
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient client)
    {
        var response = await client.GetAsync("/v1/analytics/summary?period=30d");
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data").GetProperty("totals");
    }

    private async Task<int> TallyRowsAsync(string workspaceId)
    {
        var table = app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Feedback);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {DailyFigures.TallyPrefix} and RowKey lt {"agg}"}")))
        {
            count++;
        }
        return count;
    }
}
