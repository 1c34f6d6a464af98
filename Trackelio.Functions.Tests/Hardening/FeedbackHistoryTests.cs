using System.Net;
using System.Text.Json;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §2: records keep taking changes however long their history grows — notes and the
/// audit trail live in rows of their own; a widget keeps its newest events.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FeedbackHistoryTests(TrackelioApp app)
{
    [Fact]
    public async Task A_hundred_notes_of_2500_emoji_are_all_taken_and_all_shown()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var created = await client.PostAsync("/v1/feedback", Json.Body(new { body = "Grows" }));
        var id = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var note = string.Concat(Enumerable.Repeat("\U0001F600", 2_500));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            var patch = new HttpRequestMessage(HttpMethod.Patch, $"/v1/feedback/{id}")
            {
                Content = Json.Body(new { note, status = i % 2 == 0 ? "in_progress" : "pending" }),
            };
            statuses.Add((await client.SendAsync(patch)).StatusCode);
        }
        var read = (await (await client.GetAsync($"/v1/feedback/{id}")).ReadJsonAsync()).GetProperty("data");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(100, read.GetProperty("notes").GetArrayLength());
        Assert.Equal(note, read.GetProperty("notes")[99].GetProperty("body").GetString());
        var actions = read.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal("created", actions[0]);
        Assert.Equal(100, actions.Count(a => a == "note_added"));
        Assert.Equal(100, actions.Count(a => a == "status_changed"));
    }

    [Fact]
    public async Task Erasure_removes_the_history_rows_too()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var created = await client.PostAsync("/v1/feedback", Json.Body(new { body = "Erase me", customer_email = "gone@example.com" }));
        var id = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"/v1/feedback/{id}") { Content = Json.Body(new { note = "secret note" }) });

        await app.Get<Trackelio.Functions.Feedback.IFeedbackStore>().EraseAsync(workspace.WorkspaceId, id);

        var table = app.Get<Trackelio.Functions.Storage.StorageAccount>().GetTableClient(Trackelio.Functions.Storage.StorageNames.Tables.Feedback);
        var left = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {workspace.WorkspaceId}")))
        {
            if (entity.RowKey.StartsWith("hist|", StringComparison.Ordinal) || entity.RowKey.Contains(id, StringComparison.Ordinal) && !entity.RowKey.Contains('|', StringComparison.Ordinal))
            {
                left.Add(entity.RowKey); // history rows and the record itself (counters keep their own rows)
            }
        }
        Assert.Empty(left);
    }

    [Fact]
    public async Task A_widget_paused_and_resumed_many_times_keeps_taking_changes_and_its_newest_events()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var reason = new string('r', 500);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 60; i++)
        {
            statuses.Add((await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason }))).StatusCode);
            statuses.Add((await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/resume", Json.Body(new { }))).StatusCode);
        }
        var widget = (await app.Get<IWidgetStore>().GetAsync(workspace.WorkspaceId, workspace.WidgetId))!.Value;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(TableWidgetStore.MaxHistory, widget.History.Count);
        Assert.Equal("created", widget.History[0].Action);
        Assert.Equal("resumed", widget.History[^1].Action);
    }
}
