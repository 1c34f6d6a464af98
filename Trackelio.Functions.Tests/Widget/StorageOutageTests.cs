using System.Net;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>
/// Storage goes away under a running app: requests that need it get 503 with Retry-After, never a 2xx or a bare 500.
/// Each test stops its storage, so each has an app and an Azurite of its own.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private readonly OutageApp _app = new();

    /// <summary>The app on an Azurite of its own, which the test kills.</summary>
    private sealed class OutageApp : TrackelioApp
    {
        // The cache period is the longest allowed here so that "served from cache while storage is away" does not
        // depend on how quickly a loaded machine gets from the warm-up read to the outage read.
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Trackelio:WidgetDirectory:CacheDuration"] = "00:00:10",
        };

        protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Azurite.DisposeAsync();
        }
    }

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Unreachable_storage_is_503_with_retry_after_in_the_envelope()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var client = _app.CreateClient();

        _app.Azurite.Kill();
        var response = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        await response.AssertErrorAsync(503, "storage_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("127.0.0.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_while_storage_is_away_is_503_never_a_2xx()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var client = _app.CreateClient();
        await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}"); // the key is cached; storage is needed only to store

        _app.Azurite.Kill();
        var plain = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
        var idempotent = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "k"));

        await plain.AssertErrorAsync(503, "storage_unavailable");
        await idempotent.AssertErrorAsync(503, "storage_unavailable");
    }

    [Fact]
    public async Task Cached_config_is_still_served_while_storage_is_away()
    {
        var workspace = await _app.CreateWorkspaceAsync();
        var client = _app.CreateClient();
        var warm = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        _app.Azurite.Kill();
        var during = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
    }
}
