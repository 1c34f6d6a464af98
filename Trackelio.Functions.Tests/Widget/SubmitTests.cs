using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Widget.Submit;
using Trackelio.Functions.Widget.Visitors;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

[Collection(AppCollection.Name)]
public sealed class SubmitTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private async Task<(string Id, JsonElement Data)> SubmitAsync(BootstrapResult workspace, object body, string? idempotencyKey = null)
    {
        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, body, idempotencyKey: idempotencyKey));
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToString());
        var data = json.GetProperty("data");
        return (data.GetProperty("id").GetString()!, data);
    }

    [Fact]
    public async Task Submit_is_accepted_queued_and_becomes_an_enriched_record()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var (id, data) = await SubmitAsync(workspace, new
        {
            title = "Checkout broken",
            description = "Clicking pay does nothing",
            item_type = "bug",
            submitter = new { name = "Ann", email = "ann@example.com", user_id = "u-1" },
            page = new { url = "https://shop.example/checkout?step=2", path = "/checkout", title = "Checkout", referrer = "https://shop.example/cart" },
            viewport = new { width = 1280, height = 720 },
            browser = new { name = "Chrome", version = "120", platform = "Win32", user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36" },
            session_token = "sess-1",
            element = new { selector = "#pay", text = "Pay now", rect = new { x = 10, y = 20, width = 100, height = 40 } },
            console_logs = new[] { new { level = "error", message = "Uncaught TypeError", timestamp = "2025-01-14T09:41:22Z" } },
            network_logs = new[] { new { method = "POST", url = "https://shop.example/api/pay", status = 500, duration_ms = 120.5 } },
            metadata = new { plan = "pro", cart_items = 3 },
        });
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);

        Assert.StartsWith("fb_", id);
        Assert.Equal("queued", data.GetProperty("status").GetString());
        Assert.Equal("new", record.Status);
        Assert.Equal("widget", record.Source);
        Assert.Equal(workspace.WidgetId, record.WidgetId);
        Assert.Equal("Clicking pay does nothing", record.Body);
        Assert.Equal("Ann", record.Submitter?.Name);
        Assert.False(record.Submitter?.Verified);
        Assert.Equal("/checkout", record.Page?.Path);
        Assert.Equal(new Viewport(1280, 720), record.Viewport);
        Assert.Equal("Chrome", record.Client?.Browser);
        Assert.Equal("Windows", record.Client?.Os);
        Assert.Equal("#pay", record.Element?.Selector);
        Assert.Equal("pro", record.Metadata?.GetProperty("plan").GetString());
        Assert.Equal(1, record.Logs?.ConsoleLogs);
        Assert.Equal(1, record.Logs?.NetworkLogs);
        var logs = await app.Get<IFeedbackStore>().GetLogsAsync(workspace.WorkspaceId, id);
        Assert.Equal("Uncaught TypeError", logs?.ConsoleLogs.Single().Message);
        Assert.Equal(500, logs?.NetworkLogs.Single().Status);
    }

    [Fact]
    public async Task Every_bad_field_is_reported_at_once_and_nothing_is_queued()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var body = new
        {
            title = new string('t', SubmitParser.MaxTitle + 1),
            item_type = "complaint",
            submitter = new { email = "not-an-email" },
            page = new { url = "javascript:alert(1)", path = "checkout" },
            viewport = new { width = -1, height = "tall" },
            attachment_ids = new[] { "att_nope", "fb_01m7zbbpetv64rmncqpgf9j990" },
            metadata = "not an object",
        };

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, body));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        var fields = error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.Equivalent(new[]
        {
            "title", "item_type", "submitter.email", "page.path", "page.url", "viewport.width", "viewport.height",
            "attachment_ids[0]", "attachment_ids[1]", "metadata",
        }, fields);
    }

    [Fact]
    public async Task Missing_description_and_title_is_400()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { item_type = "bug" }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("description", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task More_than_ten_attachments_is_400()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var ids = Enumerable.Range(0, 11).Select(_ => Trackelio.Functions.Api.Ids.New("att")).ToArray();

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { description = "x", item_type = "bug", attachment_ids = ids }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("attachment_ids", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Item_type_the_widget_defines_is_accepted()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with
        {
            Config = w.Config with { Modules = w.Config.Modules with { Feedback = w.Config.Modules.Feedback with { ItemTypes = [new ItemType("praise", "Praise")] } } },
        });

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { description = "Love it", item_type = "praise" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"description\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("")]
    public async Task Malformed_json_is_400(string body)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);

        var response = await _client.SendAsync(request);

        await response.AssertErrorAsync(400, "invalid_json");
    }

    [Fact]
    public async Task Form_body_is_415()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit") { Content = new FormUrlEncodedContent([new("description", "x")]) };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);

        var response = await _client.SendAsync(request);

        await response.AssertErrorAsync(415, "unsupported_media_type");
    }

    [Fact]
    public async Task Text_plain_json_is_accepted_for_beacon_senders()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit")
        {
            Content = new StringContent("{\"description\":\"x\",\"item_type\":\"bug\"}", Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_one_mebibyte_is_413()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(new string('x', 1024 * 1024))));

        await response.AssertErrorAsync(413, "payload_too_large");
    }

    [Fact]
    public async Task Logs_beyond_the_limits_are_trimmed_and_the_response_says_so()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var body = new
        {
            description = "Lots of logs",
            item_type = "bug",
            console_logs = Enumerable.Range(0, 1012).Select(i => new { level = "log", message = $"line {i}" }).ToArray(),
            network_logs = Enumerable.Range(0, 130).Select(i => new { method = "GET", url = $"https://api.example/{i}", response_body = new string('r', 3000) }).ToArray(),
        };

        var (id, data) = await SubmitAsync(workspace, body);
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        var logs = await app.Get<IFeedbackStore>().GetLogsAsync(workspace.WorkspaceId, id);

        var truncated = data.GetProperty("truncated");
        Assert.Equal(812, truncated.GetProperty("console_logs").GetInt32());
        Assert.Equal(30, truncated.GetProperty("network_logs").GetInt32());
        Assert.Equal(100, truncated.GetProperty("network_log_bodies_cut").GetInt32());
        Assert.Equal(200, record.Logs?.ConsoleLogs);
        Assert.Equal("line 812", logs!.ConsoleLogs[0].Message);
        Assert.Equal(100, logs.NetworkLogs.Count);
        Assert.Equal("Lots of logs", record.Body);
    }

    [Fact]
    public async Task Correct_user_hash_marks_the_submitter_verified()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var hash = VisitorFields.UserHash("user-42", workspace.IdentitySecret);

        var (id, _) = await SubmitAsync(workspace, new { description = "x", item_type = "bug", submitter = new { user_id = "user-42", user_hash = hash } });
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);

        Assert.True(record.Submitter?.Verified);
        Assert.Null(record.Submitter?.IdentityFlag);
    }

    [Fact]
    public async Task Wrong_user_hash_is_accepted_but_stored_unverified_and_flagged()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var otherUsersHash = VisitorFields.UserHash("user-43", workspace.IdentitySecret);

        var (id, _) = await SubmitAsync(workspace, new { description = "x", item_type = "bug", submitter = new { user_id = "user-42", user_hash = otherUsersHash } });
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);

        Assert.False(record.Submitter?.Verified);
        Assert.Equal("user_hash_mismatch", record.Submitter?.IdentityFlag);
        Assert.Equal("user-42", record.Submitter?.UserId);
    }

    [Fact]
    public async Task Same_idempotency_key_twice_returns_the_same_id_and_stores_one_record()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var (first, _) = await SubmitAsync(workspace, WidgetRequests.MinimalFeedback(), idempotencyKey: "retry-1");
        var (second, _) = await SubmitAsync(workspace, WidgetRequests.MinimalFeedback(), idempotencyKey: "retry-1");
        var (other, _) = await SubmitAsync(workspace, WidgetRequests.MinimalFeedback(), idempotencyKey: "retry-2");
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, first);
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, other);
        await WaitForCounterAsync(workspace.WorkspaceId, $"widget|{workspace.WidgetId}|feedback|total", 2);
        await Task.Delay(500); // the second message for `first` has been processed too by now

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(2, await app.Get<ICounterStore>().GetAsync(workspace.WorkspaceId, $"widget|{workspace.WidgetId}|feedback|total"));
    }

    [Fact]
    public async Task Client_id_field_works_like_the_idempotency_header()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var body = new { description = "x", item_type = "bug", client_id = "c-7" };

        var (first, _) = await SubmitAsync(workspace, body);
        var (second, _) = await SubmitAsync(workspace, body);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Idempotency_keys_are_per_widget()
    {
        var a = await app.CreateWorkspaceAsync();
        var b = await app.CreateWorkspaceAsync();

        var (fromA, _) = await SubmitAsync(a, WidgetRequests.MinimalFeedback(), idempotencyKey: "shared-key");
        var (fromB, _) = await SubmitAsync(b, WidgetRequests.MinimalFeedback(), idempotencyKey: "shared-key");

        Assert.NotEqual(fromA, fromB);
    }

    [Fact]
    public async Task Paused_widget_refuses_writes_with_widget_paused()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Pause = new WidgetPause("maintenance", DateTimeOffset.UtcNow, null) });

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

        await response.AssertErrorAsync(403, "widget_paused");
    }

    [Fact]
    public async Task Switched_off_widget_refuses_writes_too()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { IsActive = false });

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

        await response.AssertErrorAsync(403, "widget_paused");
    }

    [Fact]
    public async Task Large_submission_travels_by_claim_check_and_the_blob_is_removed_after()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var body = new
        {
            description = new string('d', SubmitParser.MaxDescription),
            item_type = "bug",
            console_logs = Enumerable.Range(0, 200).Select(i => new { level = "log", message = new string('m', 1500) + i }).ToArray(),
        };

        var (id, _) = await SubmitAsync(workspace, body);
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        var claims = app.Get<Trackelio.Functions.Storage.StorageAccount>().GetBlobContainerClient(Trackelio.Functions.Storage.StorageNames.Containers.Submissions);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await claims.GetBlobClient($"{workspace.WorkspaceId}/{id}.json").ExistsAsync()).Value && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(SubmitParser.MaxDescription, record.Body?.Length);
        Assert.Equal(200, record.Logs?.ConsoleLogs);
        Assert.False((await claims.GetBlobClient($"{workspace.WorkspaceId}/{id}.json").ExistsAsync()).Value);
    }

    private async Task WaitForCounterAsync(string workspaceId, string counter, long expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await app.Get<ICounterStore>().GetAsync(workspaceId, counter) < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }
}
