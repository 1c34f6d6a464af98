using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

[Collection(AppCollection.Name)]
public sealed class WidgetConfigTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Config_with_key_in_query_returns_the_whole_configuration()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        var data = body.GetProperty("data");
        Assert.Equal(workspace.WidgetId, data.GetProperty("widget_id").GetString());
        Assert.True(data.GetProperty("active").GetBoolean());
        var modules = data.GetProperty("modules");
        foreach (var module in new[] { "feedback", "nps", "csat", "surveys", "messenger", "announcements" })
        {
            Assert.True(modules.TryGetProperty(module, out _), $"module {module} missing");
        }
        Assert.Equal(3, modules.GetProperty("feedback").GetProperty("item_types").GetArrayLength());
        Assert.Equal("bottom-right", data.GetProperty("theme").GetProperty("position").GetString());
        Assert.Equal("manual", data.GetProperty("trigger").GetProperty("type").GetString());
        Assert.Equal("en", data.GetProperty("languages").GetProperty("default").GetString());
        Assert.Equal("Send", data.GetProperty("texts").GetProperty("en").GetProperty("submit").GetString());
        Assert.Equal(1048576, data.GetProperty("limits").GetProperty("submit_body_bytes").GetInt32());
        Assert.True(data.TryGetProperty("feature_flags", out _));
        Assert.True(data.TryGetProperty("targeting", out _));
        Assert.StartsWith("req_", body.GetProperty("meta").GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task Config_never_reveals_the_identity_secret_or_allowed_origins()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var text = await _client.GetStringAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.DoesNotContain(workspace.IdentitySecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("identity_secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shop.example", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_with_key_in_header_works_too()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/widget/config").WithHeader("X-Project-Key", workspace.ProjectKey);

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Same_etag_in_if_none_match_returns_304_without_a_body()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var first = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        var etag = first.ETag();

        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/widget/config?key={workspace.ProjectKey}");
        request.Headers.IfNoneMatch.Add(etag);
        var second = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, second.ETag());
    }

    [Fact]
    public async Task Stale_etag_returns_the_config()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/widget/config?key={workspace.ProjectKey}");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Config_is_cacheable_for_a_few_seconds_only()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        var maxAge = response.Headers.CacheControl?.MaxAge;
        Assert.NotNull(maxAge);
        // Browser cache + server cache must stay under the 15 s the contract promises.
        var serverCache = app.Get<Microsoft.Extensions.Options.IOptions<WidgetDirectoryOptions>>().Value.CacheDuration;
        Assert.True(maxAge.Value + serverCache <= TimeSpan.FromSeconds(15), $"max-age {maxAge} + server cache {serverCache} exceeds 15 s");
        Assert.Contains("X-Project-Key", response.Headers.Vary);
    }

    [Fact]
    public async Task Missing_key_is_401_missing_project_key()
    {
        var response = await _client.GetAsync("/v1/widget/config");

        await response.AssertErrorAsync(401, "missing_project_key");
    }

    [Theory]
    [InlineData("pk_live_doesnotexist0000000000000000000000000")]
    [InlineData("sk_live_notaprojectkey")]
    [InlineData("pk_live_' or PartitionKey ne '")]
    [InlineData("pk_live_%00%0a")]
    public async Task Unknown_or_malformed_key_is_401_invalid_project_key(string key)
    {
        var response = await _client.GetAsync($"/v1/widget/config?key={Uri.EscapeDataString(key)}");

        await response.AssertErrorAsync(401, "invalid_project_key");
    }

    [Fact]
    public async Task Rotated_out_key_works_until_it_retires_then_401()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var keys = app.Get<IProjectKeyStore>();

        await keys.RetireAsync(workspace.ProjectKey, DateTimeOffset.UtcNow.AddHours(24));
        await TrackelioApp.CachesExpiredAsync();
        var withinGrace = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        await keys.RetireAsync(workspace.ProjectKey, DateTimeOffset.UtcNow.AddSeconds(-1));
        await TrackelioApp.CachesExpiredAsync();
        var afterGrace = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(HttpStatusCode.OK, withinGrace.StatusCode);
        await afterGrace.AssertErrorAsync(401, "invalid_project_key");
    }

    [Fact]
    public async Task Widget_change_is_served_after_the_cache_expires_with_a_new_etag()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var first = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        var widgets = app.Get<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        var changed = stored.Value with
        {
            Config = stored.Value.Config with { Theme = stored.Value.Config.Theme with { Position = "bottom-left" } },
            UpdatedAt = DateTimeOffset.UtcNow,
        };
        await widgets.ReplaceAsync(changed, stored.ETag);

        await TrackelioApp.CachesExpiredAsync(); // the app's copy expires, as on every other instance
        var second = await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        var data = (await second.ReadJsonAsync()).GetProperty("data");
        Assert.Equal("bottom-left", data.GetProperty("theme").GetProperty("position").GetString());
        Assert.NotEqual(first.ETag(), second.ETag());
    }

    [Fact]
    public async Task Paused_widget_config_says_inactive_with_its_resume_time()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var widgets = app.Get<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        var resumeAt = DateTimeOffset.UtcNow.AddHours(2);
        await widgets.ReplaceAsync(stored.Value with { Pause = new WidgetPause("maintenance", DateTimeOffset.UtcNow, resumeAt) }, stored.ETag);
        await TrackelioApp.CachesExpiredAsync(); // the app's copy expires, as on every other instance

        var data = (await (await _client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}")).ReadJsonAsync()).GetProperty("data");

        Assert.False(data.GetProperty("active").GetBoolean());
        Assert.Equal(resumeAt.ToUnixTimeSeconds(), data.GetProperty("resume_at").GetDateTimeOffset().ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Unknown_route_is_404_in_the_envelope()
    {
        var response = await _client.GetAsync("/v1/nothing-here");

        await response.AssertErrorAsync(404, "not_found");
    }
}
