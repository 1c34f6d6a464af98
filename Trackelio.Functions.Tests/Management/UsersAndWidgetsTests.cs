using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class UsersAndWidgetsTests(TrackelioApp app)
{
    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    [Fact]
    public async Task Invite_returns_a_pending_user_with_an_invitation_token_and_lists_them()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var invited = await DataAsync(await client.PostAsync("/v1/users", Json.Body(new { email = "marlene@example.de", role = "editor" })), HttpStatusCode.Created);
        var duplicate = await client.PostAsync("/v1/users", Json.Body(new { email = "MARLENE@example.de", role = "viewer" }));
        var users = await DataAsync(await client.GetAsync("/v1/users"), HttpStatusCode.OK);

        Assert.Equal("pending", invited.GetProperty("status").GetString());
        Assert.StartsWith("inv_", invited.GetProperty("invitation_token").GetString());
        await duplicate.AssertErrorAsync(409, "member_exists");
        Assert.Equal(2, users.GetArrayLength());
        var owner = users.EnumerateArray().Single(u => u.GetProperty("is_owner").GetBoolean());
        Assert.Equal("admin", owner.GetProperty("role").GetString());
        Assert.True(owner.GetProperty("email_verified").GetBoolean());
        Assert.True(owner.TryGetProperty("last_active_at", out _));
        Assert.All(users.EnumerateArray(), u => Assert.Equal(JsonValueKind.Null, u.GetProperty("invitation_token").ValueKind));
    }

    [Fact]
    public async Task Removing_a_member_needs_confirmation_reassigns_open_feedback_to_the_owner_and_revokes_their_keys()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var editorKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var editor = app.CreateManagementClient(editorKey);
        var editorId = (await DataAsync(await admin.GetAsync("/v1/users"), HttpStatusCode.OK)).EnumerateArray()
            .Single(u => u.GetProperty("role").GetString() == "editor").GetProperty("id").GetString()!;
        var open = await DataAsync(await admin.PostAsync("/v1/feedback", Json.Body(new { body = "open one" })), HttpStatusCode.Created);
        var done = await DataAsync(await admin.PostAsync("/v1/feedback", Json.Body(new { body = "resolved one" })), HttpStatusCode.Created);
        await admin.PatchAsync($"/v1/feedback/{open.GetProperty("id").GetString()}", Json.Body(new { assigned_to = editorId }));
        await admin.PatchAsync($"/v1/feedback/{done.GetProperty("id").GetString()}", Json.Body(new { assigned_to = editorId, status = "resolved" }));

        var unconfirmed = await admin.DeleteAsync($"/v1/users/{editorId}");
        var confirmed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{editorId}") { Headers = { { "X-Confirm", "true" } } });
        var reassigned = await DataAsync(await admin.GetAsync($"/v1/feedback/{open.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        var untouched = await DataAsync(await admin.GetAsync($"/v1/feedback/{done.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        var editorAfter = await editor.GetAsync("/v1/feedback");

        await unconfirmed.AssertErrorAsync(400, "confirmation_required");
        Assert.Equal(HttpStatusCode.NoContent, confirmed.StatusCode);
        Assert.Equal(workspace.OwnerUserId, reassigned.GetProperty("assigned_to").GetString());
        Assert.Equal(editorId, untouched.GetProperty("assigned_to").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, editorAfter.StatusCode);
    }

    [Fact]
    public async Task Removing_a_member_hands_their_open_conversations_to_the_owner_and_leaves_ended_ones()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Modules = w.Config.Modules with { Messenger = new ModuleSwitch { Enabled = true } } } });
        var admin = app.CreateManagementClient(workspace.AdminKey);
        await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var editorId = (await DataAsync(await admin.GetAsync("/v1/users"), HttpStatusCode.OK)).EnumerateArray()
            .Single(u => u.GetProperty("role").GetString() == "editor").GetProperty("id").GetString()!;
        var chats = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var start = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start") { Content = Json.Body(new { message = $"chat {i}" }) };
            start.Headers.Add("X-Project-Key", workspace.ProjectKey);
            var id = (await DataAsync(await app.CreateClient().SendAsync(start), HttpStatusCode.Created)).GetProperty("conversation_id").GetString()!;
            chats.Add(id);
        }
        var (open, ended, others) = (chats[0], chats[1], chats[2]);
        await DataAsync(await admin.PatchAsync($"/v1/conversations/{open}", Json.Body(new { assigned_to = editorId })), HttpStatusCode.OK);
        await DataAsync(await admin.PatchAsync($"/v1/conversations/{ended}", Json.Body(new { assigned_to = editorId })), HttpStatusCode.OK);
        await DataAsync(await admin.PostAsync($"/v1/conversations/{ended}/close", null), HttpStatusCode.OK);

        var removed = await admin.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{editorId}") { Headers = { { "X-Confirm", "true" } } });

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        async Task<string?> AssigneeAsync(string id) => (await DataAsync(await admin.GetAsync($"/v1/conversations/{id}"), HttpStatusCode.OK)).GetProperty("conversation").GetProperty("assigned_to").GetString();
        Assert.Equal(workspace.OwnerUserId, await AssigneeAsync(open));
        Assert.Equal(editorId, await AssigneeAsync(ended));
        Assert.Null(await AssigneeAsync(others));
        var listed = (await DataAsync(await admin.GetAsync("/v1/conversations?status=open"), HttpStatusCode.OK)).EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("assigned_to").GetString());
        Assert.Equal(workspace.OwnerUserId, listed[open]);
    }

    [Fact]
    public async Task The_owner_cannot_be_removed()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey)
            .SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{workspace.OwnerUserId}") { Headers = { { "X-Confirm", "true" } } });

        await response.AssertErrorAsync(409, "owner_cannot_be_removed");
    }

    [Fact]
    public async Task Widget_patch_is_visible_to_the_widget_config()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var patched = await DataAsync(await client.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new
        {
            position = "bottom-left",
            theme = new { primary_color = "#ff0000" },
            languages = new { available = new[] { "en", "de" } },
            modules = new { nps = new { enabled = true } },
            allowed_origins = new[] { "https://Shop.Example:443/" },
        })), HttpStatusCode.OK);
        var config = (await (await app.CreateClient().GetAsync($"/v1/widget/config?key={workspace.ProjectKey}")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("bottom-left", patched.GetProperty("placement").GetString());
        Assert.Equal(["https://shop.example"], patched.GetProperty("allowed_origins").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("bottom-left", config.GetProperty("theme").GetProperty("position").GetString());
        Assert.Equal("#ff0000", config.GetProperty("theme").GetProperty("primary_color").GetString());
        Assert.Equal("#ffffff", config.GetProperty("theme").GetProperty("background_color").GetString());
        Assert.True(config.GetProperty("modules").GetProperty("nps").GetProperty("enabled").GetBoolean());
        Assert.Equal(90, config.GetProperty("modules").GetProperty("nps").GetProperty("frequency_days").GetInt32());
    }

    [Fact]
    public async Task Widget_patch_with_bad_values_is_400_and_changes_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var response = await client.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new
        {
            position = "top-center",
            theme = new { primary_color = "red" },
            trigger = new { type = "on-load" },
            allowed_origins = new[] { "not an origin" },
            project_key = "pk_live_mine",
        }));
        var after = await DataAsync(await client.GetAsync($"/v1/widgets/{workspace.WidgetId}"), HttpStatusCode.OK);

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "project_key", "allowed_origins[0]", "theme.position", "theme.primary_color", "trigger.type" },
            error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
        Assert.Equal("bottom-right", after.GetProperty("placement").GetString());
    }

    [Fact]
    public async Task Paused_widget_refuses_writes_and_resumes_by_itself_at_resume_at()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var resumeAt = DateTimeOffset.UtcNow.AddSeconds(2);

        var paused = await DataAsync(await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause",
            Json.Body(new { reason = "Black Friday campaign", resume_at = resumeAt })), HttpStatusCode.OK);
        var during = await app.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
        await Task.Delay(resumeAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));
        var after = await app.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
        var widget = await DataAsync(await client.GetAsync($"/v1/widgets/{workspace.WidgetId}"), HttpStatusCode.OK);

        Assert.Equal("paused", paused.GetProperty("status").GetString());
        Assert.Equal("Black Friday campaign", paused.GetProperty("pause_reason").GetString());
        Assert.Equal(JsonValueKind.String, paused.GetProperty("paused_at").ValueKind);
        Assert.Equal(resumeAt.ToUnixTimeSeconds(), paused.GetProperty("scheduled_resume").GetDateTimeOffset().ToUnixTimeSeconds());
        await during.AssertErrorAsync(403, "widget_paused");
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal("active", widget.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resume_logs_the_event_and_reactivates_at_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason = "maintenance" }));

        var resumed = await DataAsync(await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/resume", Json.Body(new { notify = false })), HttpStatusCode.OK);
        var submit = await app.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

        Assert.Equal("active", resumed.GetProperty("status").GetString());
        Assert.Equal(["created", "paused", "resumed"], resumed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
    }

    [Fact]
    public async Task Rotated_project_key_keeps_the_old_key_working_and_the_new_one_works_at_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var rotated = await DataAsync(await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/rotate-key", null), HttpStatusCode.OK);
        var newKey = rotated.GetProperty("project_key").GetString()!;
        var withNew = await app.CreateClient().GetAsync($"/v1/widget/config?key={newKey}");
        var withOld = await app.CreateClient().GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        var old = await app.Get<IProjectKeyStore>().FindAsync(workspace.ProjectKey);

        Assert.NotEqual(workspace.ProjectKey, newKey);
        Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withOld.StatusCode);
        Assert.InRange(old!.RetiresAt!.Value, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
    }

    [Fact]
    public async Task Created_widget_shows_its_secrets_once_and_gets_a_working_key()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var created = await DataAsync(await client.PostAsync("/v1/widgets", Json.Body(new { name = "Docs site", allowed_origins = new[] { "https://docs.example" }, trigger = new { type = "exit-intent" } })), HttpStatusCode.Created);
        var fetched = await DataAsync(await client.GetAsync($"/v1/widgets/{created.GetProperty("id").GetString()}"), HttpStatusCode.OK);
        var config = await app.CreateClient().GetAsync($"/v1/widget/config?key={created.GetProperty("project_key").GetString()}");

        Assert.StartsWith("wis_", created.GetProperty("identity_secret").GetString());
        Assert.Equal(JsonValueKind.Null, fetched.GetProperty("identity_secret").ValueKind);
        Assert.Equal("exit-intent", fetched.GetProperty("trigger_type").GetString());
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
    }

    [Fact]
    public async Task Other_workspaces_widgets_users_keys_and_webhooks_are_404()
    {
        var mine = await app.CreateWorkspaceAsync();
        var theirs = await app.CreateWorkspaceAsync();
        var theirClient = app.CreateManagementClient(theirs.AdminKey);
        var webhook = await DataAsync(await theirClient.PostAsync("/v1/webhooks", Json.Body(new { url = "https://hooks.example/x", events = new[] { "*" } })), HttpStatusCode.Created);
        var client = app.CreateManagementClient(mine.AdminKey);

        var responses = new[]
        {
            await client.GetAsync($"/v1/widgets/{theirs.WidgetId}"),
            await client.PatchAsync($"/v1/widgets/{theirs.WidgetId}", Json.Body(new { name = "mine now" })),
            await client.PostAsync($"/v1/widgets/{theirs.WidgetId}/pause", Json.Body(new { })),
            await client.PostAsync($"/v1/widgets/{theirs.WidgetId}/rotate-key", null),
            await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/users/{theirs.OwnerUserId}") { Headers = { { "X-Confirm", "true" } } }),
            await client.DeleteAsync($"/v1/api-keys/{theirs.AdminKeyId}"),
            await client.PostAsync($"/v1/api-keys/{theirs.AdminKeyId}/rotate", null),
            await client.GetAsync($"/v1/webhooks/{webhook.GetProperty("id").GetString()}"),
            await client.DeleteAsync($"/v1/webhooks/{webhook.GetProperty("id").GetString()}"),
        };
        var widgets = await DataAsync(await client.GetAsync("/v1/widgets"), HttpStatusCode.OK);
        var users = await DataAsync(await client.GetAsync("/v1/users"), HttpStatusCode.OK);

        foreach (var response in responses)
        {
            await response.AssertErrorAsync(404, "not_found");
        }
        Assert.Equal([mine.WidgetId], widgets.EnumerateArray().Select(w => w.GetProperty("id").GetString()));
        Assert.Equal([mine.OwnerUserId], users.EnumerateArray().Select(u => u.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await theirClient.GetAsync("/v1/feedback")).StatusCode);
    }

    [Fact]
    public async Task Analytics_summary_counts_rates_and_resolution_time_per_bucket()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var a = await DataAsync(await client.PostAsync("/v1/feedback", Json.Body(new { body = "a", rating = 4 })), HttpStatusCode.Created);
        await client.PostAsync("/v1/feedback", Json.Body(new { body = "b", rating = 2 }));
        await client.PatchAsync($"/v1/feedback/{a.GetProperty("id").GetString()}", Json.Body(new { status = "resolved" }));

        var summary = await DataAsync(await client.GetAsync("/v1/analytics/summary?period=7d&group_by=week"), HttpStatusCode.OK);
        var bad = await client.GetAsync("/v1/analytics/summary?period=1y");

        var totals = summary.GetProperty("totals");
        Assert.Equal(2, totals.GetProperty("total_submissions").GetInt32());
        Assert.Equal(3.0, totals.GetProperty("average_rating").GetDouble());
        Assert.Equal(0.5, totals.GetProperty("response_rate").GetDouble());
        Assert.True(totals.GetProperty("median_time_to_resolve_hours").GetDouble() >= 0);
        Assert.Equal(1, totals.GetProperty("by_status").GetProperty("resolved").GetInt32());
        Assert.Equal(2, summary.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("total_submissions").GetInt32()));
        await bad.AssertErrorAsync(400, "validation_failed");
    }
}
