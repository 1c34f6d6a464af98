using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>Storage goes away under a running app: requests that need it get 503 with Retry-After, never a 2xx or a bare 500.</summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        // The cache period is the longest allowed here so that "served from cache while storage is away" does not
        // depend on how quickly a loaded machine gets from the warm-up read to the outage read.
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", _azurite.ConnectionString)
            .UseSetting("Trackelio:WidgetDirectory:CacheDuration", "00:00:10"));
        await _app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private Task<BootstrapResult> CreateWorkspaceAsync() =>
        _app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "Outage", OwnerEmail = "owner@outage.example" });

    [Fact]
    public async Task Unreachable_storage_is_503_with_retry_after_in_the_envelope()
    {
        var workspace = await CreateWorkspaceAsync();
        var client = _app.CreateClient();

        _azurite.Kill();
        var response = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        await response.AssertErrorAsync(503, "storage_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.DoesNotContain("127.0.0.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_while_storage_is_away_is_503_never_a_2xx()
    {
        var workspace = await CreateWorkspaceAsync();
        var client = _app.CreateClient();
        await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}"); // the key is cached; storage is needed only to store

        _azurite.Kill();
        var plain = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
        var idempotent = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "k"));

        await plain.AssertErrorAsync(503, "storage_unavailable");
        await idempotent.AssertErrorAsync(503, "storage_unavailable");
    }

    [Fact]
    public async Task Cached_config_is_still_served_while_storage_is_away()
    {
        var workspace = await CreateWorkspaceAsync();
        var client = _app.CreateClient();
        var warm = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        _azurite.Kill();
        var during = await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, during.StatusCode);
    }
}
