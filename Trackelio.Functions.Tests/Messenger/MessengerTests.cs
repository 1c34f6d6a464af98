using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Messenger;

[Collection(AppCollection.Name)]
public sealed class MessengerTests(TrackelioApp app)
{
    private async Task<BootstrapResult> WorkspaceAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Modules = w.Config.Modules with { Messenger = new ModuleSwitch { Enabled = true } } } });
        return workspace;
    }

    private Task<HttpResponseMessage> PostAsync(BootstrapResult workspace, string path, object body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/" + path) { Content = Json.Body(body) };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);
        if (token is not null)
        {
            request.Headers.Add("X-Visitor-Token", token);
        }
        return app.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> HistoryAsync(BootstrapResult workspace, string conversationId, string? token, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/widget/messenger/history?key={workspace.ProjectKey}&conversation_id={conversationId}{query}");
        if (token is not null)
        {
            request.Headers.Add("X-Visitor-Token", token);
        }
        return app.CreateClient().SendAsync(request);
    }

    private async Task<(string Id, string Token)> StartAsync(BootstrapResult workspace, string? message = "Hello, is anyone there?")
    {
        var response = await PostAsync(workspace, "start", new { message, submitter = new { name = "Ann", user_id = "u-5" } });
        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (data.GetProperty("conversation_id").GetString()!, data.GetProperty("visitor_token").GetString()!);
    }

    [Fact]
    public async Task Start_returns_an_open_conversation_and_a_long_secret_token()
    {
        var workspace = await WorkspaceAsync();

        var response = await PostAsync(workspace, "start", new { message = "Hi" });

        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("conv_", data.GetProperty("conversation_id").GetString());
        Assert.Equal("open", data.GetProperty("status").GetString());
        var token = data.GetProperty("visitor_token").GetString()!;
        Assert.True(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(MessengerService.TokenPrefix.Length)).Length >= 16);
        Assert.Equal("Hi", data.GetProperty("messages")[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task Messenger_switched_off_is_403()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await PostAsync(workspace, "start", new { });

        await response.AssertErrorAsync(403, "module_disabled");
    }

    [Fact]
    public async Task Token_is_required_checked_and_bound_to_its_conversation()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);
        var (_, otherToken) = await StartAsync(workspace);

        var none = await PostAsync(workspace, "message", new { conversation_id = id, body = "x" });
        var wrong = await PostAsync(workspace, "message", new { conversation_id = id, body = "x" }, token: "vt_wrong");
        var others = await PostAsync(workspace, "message", new { conversation_id = id, body = "x" }, token: otherToken);
        var history = await HistoryAsync(workspace, id, otherToken);
        var end = await PostAsync(workspace, "end", new { conversation_id = id }, token: "vt_wrong");
        var right = await PostAsync(workspace, "message", new { conversation_id = id, body = "x" }, token: token);

        await none.AssertErrorAsync(403, "visitor_token_required");
        await wrong.AssertErrorAsync(403, "invalid_visitor_token");
        await others.AssertErrorAsync(403, "invalid_visitor_token");
        await history.AssertErrorAsync(403, "invalid_visitor_token");
        await end.AssertErrorAsync(403, "invalid_visitor_token");
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
    }

    [Fact]
    public async Task Another_projects_conversation_is_404_even_with_its_token()
    {
        var mine = await WorkspaceAsync();
        var theirs = await WorkspaceAsync();
        var (id, token) = await StartAsync(theirs);

        var message = await PostAsync(mine, "message", new { conversation_id = id, body = "x" }, token: token);
        var history = await HistoryAsync(mine, id, token);

        await message.AssertErrorAsync(404, "not_found");
        await history.AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Body_is_trimmed_and_must_be_1_to_5000_characters()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);

        var blank = await PostAsync(workspace, "message", new { conversation_id = id, body = "   " }, token);
        var tooLong = await PostAsync(workspace, "message", new { conversation_id = id, body = new string('x', 5001) }, token);
        var padded = await PostAsync(workspace, "message", new { conversation_id = id, body = "  hello  " }, token);

        await blank.AssertErrorAsync(400, "validation_failed");
        await tooLong.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("hello", (await padded.ReadJsonAsync()).GetProperty("data").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Attachments_must_be_this_projects_uploads()
    {
        var workspace = await WorkspaceAsync();
        var other = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);
        var mine = (await (await app.CreateClient().SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var foreign = (await (await app.CreateClient().SendAsync(WidgetRequests.Upload(other.ProjectKey, WidgetRequests.Png, "image/png"))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();

        var ok = await PostAsync(workspace, "message", new { conversation_id = id, body = "see", attachment_ids = new[] { mine } }, token);
        var bad = await PostAsync(workspace, "message", new { conversation_id = id, body = "see", attachment_ids = new[] { foreign } }, token);

        Assert.Equal(mine, (await ok.ReadJsonAsync()).GetProperty("data").GetProperty("attachments")[0].GetProperty("id").GetString());
        var error = await bad.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("attachment_ids[0]", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Retry_with_the_same_client_message_id_returns_the_first_message_only_once()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace, message: null);

        var first = await PostAsync(workspace, "message", new { conversation_id = id, body = "once", client_message_id = "c-1" }, token);
        var retry = await PostAsync(workspace, "message", new { conversation_id = id, body = "once", client_message_id = "c-1" }, token);
        var history = (await (await HistoryAsync(workspace, id, token)).ReadJsonAsync()).GetProperty("data").GetProperty("messages");

        Assert.Equal((await first.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString(),
            (await retry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(1, history.GetArrayLength());
    }

    [Fact]
    public async Task Ended_conversation_refuses_messages_with_409_and_end_is_idempotent()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);

        var end = await PostAsync(workspace, "end", new { conversation_id = id }, token);
        var again = await PostAsync(workspace, "end", new { conversation_id = id }, token);
        var message = await PostAsync(workspace, "message", new { conversation_id = id, body = "still there?" }, token);
        var history = (await (await HistoryAsync(workspace, id, token)).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("resolved", (await end.ReadJsonAsync()).GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await message.AssertErrorAsync(409, "conversation_ended");
        var messages = history.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count); // the first message and one system note, not two
        Assert.Equal("system", messages[1].GetProperty("author_kind").GetString());
        Assert.Contains("visitor", messages[1].GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal("resolved", history.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Team_reply_reaches_a_waiting_visitor_within_a_second()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);
        var cursor = (await (await HistoryAsync(workspace, id, token)).ReadJsonAsync()).GetProperty("data").GetProperty("next_cursor").GetString();
        var team = app.CreateManagementClient(workspace.AdminKey);

        var poll = HistoryAsync(workspace, id, token, $"&after={cursor}&wait=15");
        await Task.Delay(500); // the poll is waiting now
        var sent = Stopwatch.StartNew();
        var reply = await team.PostAsync($"/v1/conversations/{id}/messages", Json.Body(new { body = "Hi Ann, how can we help?" }));
        var answered = await poll;
        sent.Stop();

        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var messages = (await answered.ReadJsonAsync()).GetProperty("data").GetProperty("messages");
        var message = Assert.Single(messages.EnumerateArray());
        Assert.Equal("team", message.GetProperty("author_kind").GetString());
        Assert.Equal("Hi Ann, how can we help?", message.GetProperty("body").GetString());
        Assert.False(string.IsNullOrEmpty(message.GetProperty("author_name").GetString()));
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(1), $"the reply took {sent.Elapsed} to reach the visitor");
    }

    [Fact]
    public async Task Wait_ends_empty_after_its_time_when_nothing_arrives()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace);
        var cursor = (await (await HistoryAsync(workspace, id, token)).ReadJsonAsync()).GetProperty("data").GetProperty("next_cursor").GetString();

        var stopwatch = Stopwatch.StartNew();
        var response = await HistoryAsync(workspace, id, token, $"&after={cursor}&wait=2");

        Assert.Empty((await response.ReadJsonAsync()).GetProperty("data").GetProperty("messages").EnumerateArray());
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(6));
        await (await HistoryAsync(workspace, id, token, "&wait=21")).AssertErrorAsync(400, "validation_failed");
    }

    [Fact]
    public async Task Paging_across_500_messages_has_no_gaps_or_repeats_and_ids_follow_the_order()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace, message: null);
        var messenger = app.Get<MessengerService>();
        for (var i = 0; i < 500; i++)
        {
            await messenger.SendAsync(workspace.WorkspaceId, id, i % 3 == 0 ? new Author("team", workspace.OwnerUserId, "Owner") : Author.Visitor, $"m{i}", [], null, CancellationToken.None);
        }

        var seen = new List<JsonElement>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var data = (await (await HistoryAsync(workspace, id, token, $"&limit=100{(cursor is null ? "" : "&after=" + cursor)}")).ReadJsonAsync()).GetProperty("data");
            seen.AddRange(data.GetProperty("messages").EnumerateArray());
            cursor = data.GetProperty("next_cursor").GetString();
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"m{i}"), seen.Select(m => m.GetProperty("body").GetString()));
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), seen.Select(m => m.GetProperty("sequence").GetInt64()));
        var ids = seen.Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Concurrent_senders_each_get_a_distinct_place_in_one_order()
    {
        var workspace = await WorkspaceAsync();
        var (id, token) = await StartAsync(workspace, message: null);
        var team = app.CreateManagementClient(workspace.AdminKey);

        var sends = Enumerable.Range(0, 24).Select(i => i % 2 == 0
            ? PostAsync(workspace, "message", new { conversation_id = id, body = $"visitor {i}" }, token)
            : team.PostAsync($"/v1/conversations/{id}/messages", Json.Body(new { body = $"team {i}" })));
        var responses = await Task.WhenAll(sends);
        var history = (await (await HistoryAsync(workspace, id, token, "&limit=100")).ReadJsonAsync()).GetProperty("data").GetProperty("messages").EnumerateArray().ToList();

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(24, history.Count);
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), history.Select(m => m.GetProperty("sequence").GetInt64()));
        Assert.Equal(24, history.Select(m => m.GetProperty("body").GetString()).Distinct().Count());
        var ids = history.Select(m => m.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Team_lists_reads_closes_reopens_and_assigns()
    {
        var workspace = await WorkspaceAsync();
        var (open, _) = await StartAsync(workspace);
        var (closing, token) = await StartAsync(workspace);
        var team = app.CreateManagementClient(workspace.AdminKey);

        var closed = await team.PostAsync($"/v1/conversations/{closing}/close", null);
        var refused = await PostAsync(workspace, "message", new { conversation_id = closing, body = "hello?" }, token);
        var openList = (await (await team.GetAsync("/v1/conversations?status=open")).ReadJsonAsync()).GetProperty("data");
        var reopened = await team.PostAsync($"/v1/conversations/{closing}/reopen", null);
        var accepted = await PostAsync(workspace, "message", new { conversation_id = closing, body = "hello again" }, token);
        var assigned = await team.PatchAsync($"/v1/conversations/{open}", Json.Body(new { assigned_to = workspace.OwnerUserId }));
        var detail = (await (await team.GetAsync($"/v1/conversations/{closing}")).ReadJsonAsync()).GetProperty("data");
        var otherTeam = app.CreateManagementClient((await app.CreateWorkspaceAsync()).AdminKey);

        Assert.Equal("resolved", (await closed.ReadJsonAsync()).GetProperty("data").GetProperty("status").GetString());
        await refused.AssertErrorAsync(409, "conversation_ended");
        Assert.Equal([open], openList.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal("open", (await reopened.ReadJsonAsync()).GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal(workspace.OwnerUserId, (await assigned.ReadJsonAsync()).GetProperty("data").GetProperty("assigned_to").GetString());
        Assert.Equal(["visitor", "system", "system", "visitor"], detail.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("author_kind").GetString()));
        Assert.False(detail.GetProperty("conversation").TryGetProperty("visitor_token_hash", out _));
        await (await otherTeam.GetAsync($"/v1/conversations/{open}")).AssertErrorAsync(404, "not_found");
    }
}
