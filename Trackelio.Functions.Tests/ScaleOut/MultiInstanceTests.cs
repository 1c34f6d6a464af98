using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.RateLimiting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.ScaleOut;

[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ThreeInstances>
{
    public const string Name = "Three app instances on one Azurite";
}

/// <summary>What holds across instances: shared limits, the reach of per-instance caches, wake-ups, enrichment and counting.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class MultiInstanceTests(ThreeInstances instances, ITestOutputHelper output)
{
    [Fact]
    public async Task Reads_with_one_key_spread_over_three_instances_share_one_limit_of_sixty()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var clients = instances.All.Select(i => i.CreateManagementClient(workspace.AdminKey)).ToList();
        var allowance = instances.A.Get<IOptions<SharedRateLimiterOptions>>().Value.AllowanceFor(60);
        instances.Clock.AdvanceToNextMinute();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 90; i++)
        {
            responses.Add(await clients[i % 3].GetAsync("/v1/widgets"));
        }

        var allowed = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        output.WriteLine($"90 reads over three instances: {allowed} allowed (limit 60, local allowance k = {allowance}, bound 60 + k × 2 = {60 + (allowance * 2)})");
        Assert.InRange(allowed, 60, 60 + (allowance * 2));
        for (var i = 0; i < responses.Count; i++)
        {
            if (responses[i].StatusCode != HttpStatusCode.OK)
            {
                // A 429 is always deserved: sixty had already been allowed when the first came.
                Assert.True(responses.Take(i).Count(r => r.StatusCode == HttpStatusCode.OK) >= 60, $"Request {i} was refused before 60 were allowed.");
                await responses[i].AssertErrorAsync(429, "rate_limited");
                Assert.InRange(responses[i].Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
                Assert.Equal("0", responses[i].Headers.GetValues("RateLimit-Remaining").Single());
            }
        }

        instances.Clock.AdvanceToNextMinute();
        foreach (var client in clients)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/widgets")).StatusCode);
        }
    }

    [Fact]
    public async Task Widget_writes_from_one_address_are_limited_by_the_widget_config_across_instances()
    {
        var workspace = await WorkspaceWithLimitsAsync(new { writes_per_ip_per_minute = 5 });
        var address = TestClientAddress.Unique();
        instances.Clock.AdvanceToNextMinute();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 9; i++)
        {
            responses.Add(await instances.All[i % 3].CreateClient(address).SendAsync(
                WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback())));
        }
        var otherAddress = await instances.C.CreateClient(TestClientAddress.Unique()).SendAsync(
                WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

        // Five is below what earns a local allowance (k = 0): every write is counted in storage first, so exactly five.
        Assert.All(responses.Take(5), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var refused in responses.Skip(5))
        {
            await refused.AssertErrorAsync(429, "rate_limited");
            Assert.NotNull(refused.Headers.RetryAfter);
        }
        Assert.Equal(HttpStatusCode.Accepted, otherAddress.StatusCode);
    }

    [Fact]
    public async Task Widget_writes_are_limited_per_widget_across_instances_and_addresses()
    {
        var workspace = await WorkspaceWithLimitsAsync(new { writes_per_minute = 4 });
        instances.Clock.AdvanceToNextMinute();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            var response = await instances.All[i % 3].CreateClient(TestClientAddress.Unique()).SendAsync(
                WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Accepted, 4), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
    }

    [Fact]
    public async Task A_revoked_key_stops_on_every_instance_within_the_key_cache_time()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var admin = instances.A.CreateManagementClient(workspace.AdminKey);
        var key = await DataAsync(await admin.PostAsync("/v1/api-keys", Json.Body(new { name = "spread" })), HttpStatusCode.Created);
        var secret = key.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await instances.B.CreateManagementClient(secret).GetAsync("/v1/feedback")).StatusCode); // B now holds it

        var revoke = await admin.DeleteAsync($"/v1/api-keys/{key.GetProperty("id").GetString()}");
        var onA = await instances.A.CreateManagementClient(secret).GetAsync("/v1/feedback");
        var onC = await instances.C.CreateManagementClient(secret).GetAsync("/v1/feedback");
        var onBCached = await instances.B.CreateManagementClient(secret).GetAsync("/v1/feedback");
        instances.Clock.Advance(instances.B.Get<IOptions<ApiKeyOptions>>().Value.CacheDuration);
        var onBAfter = await instances.B.CreateManagementClient(secret).GetAsync("/v1/feedback");

        Assert.True(revoke.IsSuccessStatusCode);
        await onA.AssertErrorAsync(401, "key_revoked");   // the instance that revoked: at once
        await onC.AssertErrorAsync(401, "key_revoked");   // an instance that had not seen the key: at once
        Assert.Equal(HttpStatusCode.OK, onBCached.StatusCode); // an instance that had: until its cache entry ends (the documented reach)…
        await onBAfter.AssertErrorAsync(401, "key_revoked"); // …and no longer
    }

    [Fact]
    public async Task A_paused_widget_refuses_writes_on_every_instance_within_the_directory_cache_time()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var cacheDuration = instances.B.Get<IOptions<WidgetDirectoryOptions>>().Value.CacheDuration;
        var sinceBLoaded = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Accepted, (await SubmitAsync(instances.B, workspace)).StatusCode); // B now holds the widget

        var pause = await instances.A.CreateManagementClient(workspace.AdminKey)
            .PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason = "scale-out test" }));
        var onA = await SubmitAsync(instances.A, workspace);
        var onC = await SubmitAsync(instances.C, workspace);
        var onBCached = await SubmitAsync(instances.B, workspace);
        var bStillCached = sinceBLoaded.Elapsed < cacheDuration; // the clock is real time shifted: a busy machine can outlast the entry
        instances.Clock.Advance(cacheDuration);
        var onBAfter = await SubmitAsync(instances.B, workspace);
        var configOnB = await instances.B.CreateClient().GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        await onA.AssertErrorAsync(403, "widget_paused");
        await onC.AssertErrorAsync(403, "widget_paused");
        if (bStillCached)
        {
            Assert.Equal(HttpStatusCode.Accepted, onBCached.StatusCode); // within the documented reach (5 s)
        }
        else
        {
            output.WriteLine($"B's entry could have expired ({sinceBLoaded.Elapsed.TotalSeconds:0.0} s): its stale answer is not checked this time");
        }
        await onBAfter.AssertErrorAsync(403, "widget_paused");
        Assert.False((await configOnB.ReadJsonAsync()).GetProperty("data").GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_team_reply_on_one_instance_wakes_a_long_poll_held_on_another()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var team = instances.A.CreateManagementClient(workspace.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await team.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new { modules = new { messenger = new { enabled = true } } }))).StatusCode);
        var start = await DataAsync(await instances.A.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start")
        {
            Content = Json.Body(new { message = "Hello?" }),
            Headers = { { "X-Project-Key", workspace.ProjectKey } },
        }), HttpStatusCode.Created);
        var conversationId = start.GetProperty("conversation_id").GetString()!;
        var token = start.GetProperty("visitor_token").GetString()!;
        var cursor = (await DataAsync(await HistoryAsync(instances.B, workspace, conversationId, token, ""), HttpStatusCode.OK)).GetProperty("next_cursor").GetString();
        var replier = instances.C.CreateManagementClient(workspace.AdminKey);

        var latencies = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var poll = HistoryAsync(instances.B, workspace, conversationId, token, $"&after={cursor}&wait=20");
            await Task.Delay(200 + Random.Shared.Next(1000)); // the poll is held on B by now, at a random point of its once-a-second check
            var reply = await replier.PostAsync($"/v1/conversations/{conversationId}/messages", Json.Body(new { body = $"reply {round}" }));
            var replied = Stopwatch.StartNew();
            var answered = await DataAsync(await poll, HttpStatusCode.OK);
            latencies.Add(replied.Elapsed.TotalMilliseconds);

            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
            var message = Assert.Single(answered.GetProperty("messages").EnumerateArray());
            Assert.Equal($"reply {round}", message.GetProperty("body").GetString());
            cursor = answered.GetProperty("next_cursor").GetString();
        }
        output.WriteLine($"Reply on C → long poll on B answered after (ms): {string.Join(", ", latencies.Select(l => l.ToString("F0", System.Globalization.CultureInfo.InvariantCulture)))}");
    }

    [Fact]
    public async Task Submissions_are_enriched_by_whichever_instance_takes_them_and_read_on_any()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var ids = new List<string>();
        foreach (var instance in instances.All)
        {
            var accepted = await DataAsync(await SubmitAsync(instance, workspace), HttpStatusCode.Accepted);
            ids.Add(accepted.GetProperty("id").GetString()!);
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var reader = instances.All[(i + 1) % 3].CreateManagementClient(workspace.AdminKey);
            var entry = await EventuallyAsync(() => reader.GetAsync($"/v1/feedback/{ids[i]}"));
            Assert.Equal("The checkout button does nothing", entry.GetProperty("body").GetString());
        }
    }

    [Fact]
    public async Task Counting_is_exactly_once_while_three_instances_enrich_the_same_submissions_at_once()
    {
        const int Posts = 12;
        var workspace = await instances.A.CreateWorkspaceAsync();

        // Each post is sent to all three instances at once with one Idempotency-Key: one id, three
        // queue messages, taken by the three instances' pumps together with the other posts'.
        // A post that meets a storage deadline on a busy machine (503) is sent again with its key, as the widget does.
        var sends = Enumerable.Range(0, Posts).SelectMany(post =>
        {
            var key = $"post-{post}-{Guid.NewGuid():N}";
            return instances.All.Select(instance => SentUntilAnsweredAsync(() => instance.CreateClient().SendAsync(
                WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback($"post {post}"), idempotencyKey: key))));
        });
        var responses = await Task.WhenAll(sends);
        var ids = new HashSet<string>();
        foreach (var response in responses)
        {
            ids.Add((await DataAsync(response, HttpStatusCode.Accepted)).GetProperty("id").GetString()!);
        }
        Assert.Equal(Posts, ids.Count);
        await QueueDrainedAsync();

        foreach (var instance in instances.All)
        {
            var client = instance.CreateManagementClient(workspace.AdminKey);
            var list = await (await client.GetAsync("/v1/feedback?limit=200")).ReadJsonAsync();
            var summary = await DataAsync(await client.GetAsync("/v1/analytics/summary?period=7d"), HttpStatusCode.OK);
            Assert.Equal(Posts, list.GetProperty("meta").GetProperty("total").GetInt64());
            Assert.Equal(Posts, list.GetProperty("data").GetArrayLength());
            Assert.Equal(Posts, summary.GetProperty("totals").GetProperty("total_submissions").GetInt32());
        }
    }

    [Fact]
    public async Task An_attachment_link_made_on_one_instance_downloads_on_another()
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var upload = await DataAsync(await instances.A.CreateClient().SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png")), HttpStatusCode.Created);
        var submit = await DataAsync(await instances.A.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            description = "see screenshot",
            item_type = "bug",
            attachment_ids = new[] { upload.GetProperty("id").GetString() },
        })), HttpStatusCode.Accepted);
        var id = submit.GetProperty("id").GetString()!;
        await instances.A.WaitForFeedbackAsync(workspace.WorkspaceId, id);

        var entry = await DataAsync(await instances.B.CreateManagementClient(workspace.AdminKey).GetAsync($"/v1/feedback/{id}"), HttpStatusCode.OK);
        var link = entry.GetProperty("attachments")[0].GetProperty("download_url").GetString()!;
        var onC = await instances.C.CreateClient().GetAsync(link);
        var onA = await instances.A.CreateClient().GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, onC.StatusCode);
        Assert.Equal(WidgetRequests.Png, await onC.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
    }

    private static async Task<HttpResponseMessage> SentUntilAnsweredAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return response;
            }
            await response.AssertErrorAsync(503, "storage_unavailable");
            await Task.Delay(500);
        }
    }

    private async Task<BootstrapResult> WorkspaceWithLimitsAsync(object limits)
    {
        var workspace = await instances.A.CreateWorkspaceAsync();
        var patch = await instances.A.CreateManagementClient(workspace.AdminKey).PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new { limits }));
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        return workspace;
    }

    private static Task<HttpResponseMessage> SubmitAsync(TrackelioApp instance, BootstrapResult workspace) =>
        instance.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

    private static Task<HttpResponseMessage> HistoryAsync(TrackelioApp instance, BootstrapResult workspace, string conversationId, string token, string query) =>
        instance.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/v1/widget/messenger/history?key={workspace.ProjectKey}&conversation_id={conversationId}{query}")
        {
            Headers = { { "X-Visitor-Token", token } },
        });

    /// <summary>Every queued submission has been taken and finished (the pumps delete a message only after handling it).</summary>
    private async Task QueueDrainedAsync()
    {
        var queue = instances.A.Get<StorageAccount>().GetQueueClient(StorageNames.Queues.Submissions);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The submissions queue was not drained within 60 s.");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> EventuallyAsync(Func<Task<HttpResponseMessage>> read)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await read();
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return await DataAsync(response, HttpStatusCode.OK);
            }
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }
}
