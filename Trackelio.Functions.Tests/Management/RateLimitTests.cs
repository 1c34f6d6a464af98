using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// The app with the contract's real limits: 60 reads, 20 writes, 30 user lists a minute per key.
/// Windows are fixed UTC minutes, so each test first moves the clock to a window's start.
/// </summary>
public sealed class RealLimitsApp : TrackelioApp
{
    public ShiftedClock Clock { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Testing:ClockFile"] = Clock.File,
        ["Trackelio:RateLimits:ReadsPerMinute"] = "60",
        ["Trackelio:RateLimits:WritesPerMinute"] = "20",
        ["Trackelio:RateLimits:UserListsPerMinute"] = "30",
        ["Trackelio:Messenger:StartsPerIpPerMinute"] = "3",
        ["Trackelio:Messenger:StartsPerWidgetPerMinute"] = "5",
    };
}

public sealed class RateLimitTests(RealLimitsApp app) : IClassFixture<RealLimitsApp>
{
    [Fact]
    public async Task Sixty_first_read_in_a_minute_is_429_with_retry_after()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        app.Clock.AdvanceToNextMinute();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 61; i++)
        {
            responses.Add(await client.GetAsync("/v1/widgets"));
        }

        Assert.All(responses.Take(60), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await responses[60].AssertErrorAsync(429, "rate_limited");
        Assert.NotNull(responses[60].Headers.RetryAfter);
        Assert.Equal("0", responses[60].Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("59", responses[0].Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("60", responses[0].Headers.GetValues("RateLimit-Limit").Single());
    }

    [Fact]
    public async Task Conversation_starts_are_limited_per_client_ip_and_per_widget()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Modules = w.Config.Modules with { Messenger = new Trackelio.Functions.Workspaces.ModuleSwitch { Enabled = true } } } });
        var client = app.CreateClient(TestClientAddress.Unique());
        app.Clock.AdvanceToNextMinute();

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add(await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start")
            {
                Content = Json.Body(new { message = "hi" }),
                Headers = { { "X-Project-Key", workspace.ProjectKey } },
            }));
        }

        Assert.All(statuses.Take(3), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        await statuses[3].AssertErrorAsync(429, "rate_limited");
        Assert.NotNull(statuses[3].Headers.RetryAfter);
    }

    [Fact]
    public async Task Writes_and_user_lists_have_their_own_limits_per_key()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var other = await app.CreateWorkspaceAsync();
        app.Clock.AdvanceToNextMinute();

        var writes = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            writes.Add((await client.PostAsync("/v1/feedback", Json.Body(new { body = "w" + i }))).StatusCode);
        }
        var users = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
        {
            users.Add((await client.GetAsync("/v1/users")).StatusCode);
        }
        var readStillFine = await client.GetAsync("/v1/feedback");
        var otherKeyFine = await app.CreateManagementClient(other.AdminKey).PostAsync("/v1/feedback", Json.Body(new { body = "x" }));

        Assert.Equal(20, writes.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(HttpStatusCode.TooManyRequests, writes[^1]);
        Assert.Equal(30, users.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, users[^1]);
        Assert.Equal(HttpStatusCode.OK, readStillFine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, otherKeyFine.StatusCode);
    }

    [Fact]
    public async Task Widget_write_limits_in_the_config_must_be_positive()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        var bad = await client.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new { limits = new { writes_per_minute = 0, writes_per_ip_per_minute = -1 } }));
        var good = await client.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new { limits = new { writes_per_minute = 1200, writes_per_ip_per_minute = 30 } }));

        var error = await bad.AssertErrorAsync(400, "validation_failed");
        Assert.Equal(["limits.writes_per_minute", "limits.writes_per_ip_per_minute"], error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var limits = (await good.ReadJsonAsync()).GetProperty("data").GetProperty("config").GetProperty("limits");
        Assert.Equal(1200, limits.GetProperty("writes_per_minute").GetInt32());
    }
}
