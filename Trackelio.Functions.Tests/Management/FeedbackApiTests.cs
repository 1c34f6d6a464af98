using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class FeedbackApiTests(TrackelioApp app)
{
    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>Writes records straight to the store (as the enrichment does), counted, with times a second apart.</summary>
    private async Task<List<string>> SeedAsync(BootstrapResult workspace, int count, string status = "new")
    {
        var start = DateTimeOffset.UtcNow.AddHours(-count);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var at = start.AddSeconds(i * 3);
            return new FeedbackRecord
            {
                Id = Ids.New(Ids.Feedback, at),
                WorkspaceId = workspace.WorkspaceId,
                WidgetId = workspace.WidgetId,
                Source = "widget",
                Status = status,
                Body = "seeded " + i,
                ItemType = i % 2 == 0 ? "bug" : "idea",
                CreatedAt = at,
                UpdatedAt = at,
            };
        }).ToList();
        var store = app.Get<IFeedbackStore>();
        var counters = app.Get<ICounterStore>();
        foreach (var batch in records.Chunk(25))
        {
            await Task.WhenAll(batch.Select(async r =>
            {
                await store.CreateAsync(r);
                await counters.CountOnceAsync(r.WorkspaceId, r.Id, FeedbackCounters.For(r.WidgetId, r.CreatedAt));
            }));
        }
        return records.Select(r => r.Id).ToList();
    }

    [Fact]
    public async Task Create_returns_201_with_location_and_the_entry_is_readable_with_its_audit_trail()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var created = await client.PostAsync("/v1/feedback", Json.Body(new
        {
            body = "Checkout button was unresponsive on mobile Safari.",
            rating = 2,
            category = "usability",
            customer_email = "lars.mueller@example.de",
            metadata = new { page_url = "/checkout", browser = "Safari 17.2" },
        }));
        var data = await DataAsync(created, HttpStatusCode.Created);
        var id = data.GetProperty("id").GetString()!;
        var fetched = await DataAsync(await client.GetAsync(created.Headers.Location), HttpStatusCode.OK);

        Assert.Equal($"/v1/feedback/{id}", created.Headers.Location?.ToString());
        Assert.Equal("new", data.GetProperty("status").GetString());
        Assert.Equal("usability", fetched.GetProperty("category").GetString());
        Assert.Equal(2, fetched.GetProperty("rating").GetInt32());
        Assert.Equal("Safari 17.2", fetched.GetProperty("metadata").GetProperty("browser").GetString());
        Assert.Equal("created", fetched.GetProperty("audit")[0].GetProperty("action").GetString());
        Assert.Equal(workspace.OwnerUserId, fetched.GetProperty("audit")[0].GetProperty("actor").GetString());
    }

    [Fact]
    public async Task Create_with_bad_fields_lists_them_all()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/feedback", Json.Body(new { rating = 6, customer_email = "nope", metadata = 3 }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "body", "rating", "customer_email", "metadata" },
            error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Patch_changes_status_assignee_and_notes_and_audits_each_change()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var id = (await SeedAsync(workspace, 1))[0];

        var patched = await DataAsync(await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "in_progress", assigned_to = workspace.OwnerUserId, note = "Reproduced on iOS 17" })), HttpStatusCode.OK);
        var resolved = await DataAsync(await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "resolved" })), HttpStatusCode.OK);

        Assert.Equal("in_progress", patched.GetProperty("status").GetString());
        Assert.Equal(workspace.OwnerUserId, patched.GetProperty("assigned_to").GetString());
        Assert.Equal("Reproduced on iOS 17", patched.GetProperty("notes")[0].GetProperty("body").GetString());
        var actions = resolved.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Equal(["status_changed", "assigned", "note_added", "status_changed"], actions);
        Assert.Equal("in_progress", resolved.GetProperty("audit")[3].GetProperty("changes").GetProperty("from").GetString());
        Assert.Equal(JsonValueKind.String, resolved.GetProperty("resolved_at").ValueKind);
    }

    [Fact]
    public async Task Patch_with_bad_values_is_400_and_changes_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var id = (await SeedAsync(workspace, 1))[0];

        var response = await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "done", assigned_to = "usr_01m7zbbpetv64rmncqpgf9j990", body = "x" }));
        var after = await DataAsync(await client.GetAsync($"/v1/feedback/{id}"), HttpStatusCode.OK);

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "body", "status", "assigned_to" }, error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
        Assert.Equal("new", after.GetProperty("status").GetString());
        Assert.Empty(after.GetProperty("audit").EnumerateArray());
    }

    [Fact]
    public async Task Soft_deleted_entry_is_404_and_gone_from_lists_and_totals()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var ids = await SeedAsync(workspace, 3);

        var deleted = await admin.DeleteAsync($"/v1/feedback/{ids[1]}");
        var get = await admin.GetAsync($"/v1/feedback/{ids[1]}");
        var again = await admin.DeleteAsync($"/v1/feedback/{ids[1]}");
        var list = await admin.GetAsync("/v1/feedback");
        var body = await list.ReadJsonAsync();

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await get.AssertErrorAsync(404, "not_found");
        await again.AssertErrorAsync(404, "not_found");
        Assert.Equal([ids[2], ids[0]], body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(2, body.GetProperty("meta").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Filters_by_status_item_type_widget_assignee_and_time()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var ids = await SeedAsync(workspace, 6);
        await client.PatchAsync($"/v1/feedback/{ids[0]}", Json.Body(new { status = "pending" }));
        await client.PatchAsync($"/v1/feedback/{ids[1]}", Json.Body(new { status = "resolved" }));
        await client.PatchAsync($"/v1/feedback/{ids[3]}", Json.Body(new { assigned_to = workspace.OwnerUserId }));
        await client.PatchAsync($"/v1/feedback/{ids[5]}", Json.Body(new { assigned_to = workspace.OwnerUserId }));

        async Task<List<string?>> Ids(string query) =>
            (await (await client.GetAsync("/v1/feedback?" + query)).ReadJsonAsync()).GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();

        Assert.Equal([ids[1], ids[0]], await Ids("status=pending,resolved"));
        Assert.Equal([ids[4], ids[2], ids[0]], await Ids("item_type=bug"));
        Assert.Equal([ids[5], ids[3], ids[1]], await Ids("category=idea"));
        Assert.Equal(6, (await Ids($"widget_id={workspace.WidgetId}")).Count);
        Assert.Empty(await Ids("widget_id=wdg_01m7zbbpetv64rmncqpgf9j990"));
        Assert.Equal([ids[5], ids[3]], await Ids($"assigned_to={workspace.OwnerUserId}"));
        Assert.Equal([ids[5]], await Ids($"assigned_to={workspace.OwnerUserId}&item_type=idea&from={Uri.EscapeDataString(Trackelio.Functions.Api.Ids.TimeOf(ids[4]).ToString("O"))}"));
        Assert.Empty(await Ids("assigned_to=usr_01m7zbbpetv64rmncqpgf9j990"));
        var from = Trackelio.Functions.Api.Ids.TimeOf(ids[2]).ToString("O");
        var to = Trackelio.Functions.Api.Ids.TimeOf(ids[4]).ToString("O");
        Assert.Equal([ids[3], ids[2]], await Ids($"from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}"));
        Assert.Equal([ids[2], ids[3]], await Ids($"from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&sort=created_at:asc"));
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("page=-1", "page")]
    [InlineData("sort=rating", "sort")]
    [InlineData("cursor=garbage", "cursor")]
    [InlineData("widget_id=x", "widget_id")]
    [InlineData("assigned_to=erika", "assigned_to")]
    public async Task Bad_list_parameters_are_400(string query, string field)
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback?" + query);

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal(field, error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Paging_over_a_thousand_records_has_no_gaps_no_repeats_and_a_stable_order()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var ids = await SeedAsync(workspace, 1000);
        var newestFirst = Enumerable.Reverse(ids).ToList();

        // Following links.next (cursor) from the first page.
        var seen = new List<string>();
        string? next = "/v1/feedback?limit=200";
        var pages = 0;
        while (next is not null)
        {
            var body = await (await client.GetAsync(next)).ReadJsonAsync();
            seen.AddRange(body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            Assert.Equal(1000, body.GetProperty("meta").GetProperty("total").GetInt64());
            Assert.Equal(++pages, body.GetProperty("meta").GetProperty("page").GetInt32());
            next = body.GetProperty("links").GetProperty("next").GetString();
        }

        // By page number, as a person clicking page 3 would.
        var byPage = new List<string>();
        for (var page = 1; page <= 7; page++)
        {
            var body = await (await client.GetAsync($"/v1/feedback?limit=150&page={page}")).ReadJsonAsync();
            byPage.AddRange(body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
        }
        var beyond = await (await client.GetAsync("/v1/feedback?limit=150&page=8")).ReadJsonAsync();

        Assert.Equal(5, pages);
        Assert.Equal(newestFirst, seen);
        Assert.Equal(newestFirst, byPage);
        Assert.Empty(beyond.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Another_workspaces_feedback_is_404_like_one_that_never_existed()
    {
        var mine = await app.CreateWorkspaceAsync();
        var theirs = await app.CreateWorkspaceAsync();
        var theirId = (await SeedAsync(theirs, 1))[0];
        var client = app.CreateManagementClient(mine.AdminKey);

        var get = await client.GetAsync($"/v1/feedback/{theirId}");
        var patch = await client.PatchAsync($"/v1/feedback/{theirId}", Json.Body(new { status = "closed" }));
        var delete = await client.DeleteAsync($"/v1/feedback/{theirId}");
        var logs = await client.GetAsync($"/v1/feedback/{theirId}/logs");
        var list = await (await client.GetAsync("/v1/feedback")).ReadJsonAsync();

        await get.AssertErrorAsync(404, "not_found");
        await patch.AssertErrorAsync(404, "not_found");
        await delete.AssertErrorAsync(404, "not_found");
        await logs.AssertErrorAsync(404, "not_found");
        Assert.Empty(list.GetProperty("data").EnumerateArray());
        Assert.Equal("new", (await app.Get<IFeedbackStore>().GetAsync(theirs.WorkspaceId, theirId))!.Value.Status);
    }

    [Fact]
    public async Task Widget_feedback_shows_logs_and_a_working_short_lived_attachment_link()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var widget = app.CreateClient();
        var upload = await widget.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"));
        var attachmentId = (await upload.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var submit = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            description = "see screenshot",
            item_type = "bug",
            attachment_ids = new[] { attachmentId },
            console_logs = new[] { new { level = "error", message = "boom" } },
        }));
        var id = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        var client = app.CreateManagementClient(workspace.AdminKey);

        var entry = await DataAsync(await client.GetAsync($"/v1/feedback/{id}"), HttpStatusCode.OK);
        var link = entry.GetProperty("attachments")[0].GetProperty("download_url").GetString()!;
        var download = await app.CreateClient().GetAsync(link);
        var tampered = await app.CreateClient().GetAsync(link.Replace("sig=", "sig=0", StringComparison.Ordinal));
        var logs = await DataAsync(await client.GetAsync(entry.GetProperty("logs").GetProperty("url").GetString()), HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(WidgetRequests.Png, await download.Content.ReadAsByteArrayAsync());
        await tampered.AssertErrorAsync(404, "not_found");
        Assert.Equal("boom", logs.GetProperty("console_logs")[0].GetProperty("message").GetString());
    }
}
