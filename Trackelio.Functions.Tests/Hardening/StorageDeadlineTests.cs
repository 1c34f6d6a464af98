using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §6: frozen storage (every request hangs, as a SIGSTOPped Azurite does) holds a
/// widget or management request no longer than its storage deadline: then 503 + Retry-After,
/// and requests succeed again as soon as storage thaws, without a restart.
/// </summary>
public sealed class StorageDeadlineTests : IAsyncLifetime
{
    private readonly FaultyStorage _faults = new();
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:Enabled", "false")
            .UseSetting("Trackelio:Storage:RequestDeadline", "00:00:01")
            .ConfigureTestServices(services => services.AddSingleton(sp => StorageAccount.Create(sp.GetRequiredService<IConfiguration>(), _faults.Configure))));
        await _app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _faults.Frozen = false;
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Frozen_storage_is_503_with_retry_after_for_both_apis_and_recovers()
    {
        var workspace = await _app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "Frozen", OwnerEmail = "o@frozen.example" });
        var widget = _app.CreateClient();
        widget.Timeout = TimeSpan.FromSeconds(90); // far beyond the deadline; the clients' own retries would take minutes
        var management = _app.CreateClient();
        management.Timeout = widget.Timeout;
        management.DefaultRequestHeaders.Authorization = new("Bearer", workspace.AdminKey);
        await widget.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        await management.GetAsync("/v1/feedback");
        // A widget this instance has not resolved yet: its config (which sets no per-request deadline
        // timer, OwnStorageDeadlineAttribute) waits on the key's load, bounded by the widget directory.
        var unseen = await _app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "Unseen", OwnerEmail = "o@unseen.example" });

        _faults.Frozen = true;
        var submit = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "frozen-1"));
        var list = await management.GetAsync("/v1/feedback");
        var config = await widget.GetAsync($"/v1/widget/config?key={unseen.ProjectKey}");
        _faults.Frozen = false;
        var configAfter = await widget.GetAsync($"/v1/widget/config?key={unseen.ProjectKey}");
        var after = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "frozen-1"));

        var submitError = await submit.AssertErrorAsync(503, "storage_unavailable");
        await list.AssertErrorAsync(503, "storage_unavailable");
        Assert.NotNull(submit.Headers.RetryAfter);
        Assert.NotNull(list.Headers.RetryAfter);
        await config.AssertErrorAsync(503, "storage_unavailable");
        Assert.NotNull(config.Headers.RetryAfter);
        Assert.Equal(System.Net.HttpStatusCode.OK, configAfter.StatusCode);
        Assert.Contains("Idempotency-Key", submitError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, after.StatusCode);
    }
}
