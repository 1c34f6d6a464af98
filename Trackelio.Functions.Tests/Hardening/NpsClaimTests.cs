using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §8: when the response is stored but announcing it fails, the visitor's once-per-period
/// claim stays: the retry is 409 <c>already_responded</c>, never a second stored response.
/// </summary>
public sealed class NpsClaimTests : IAsyncLifetime
{
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:Enabled", "false")
            .ConfigureTestServices(services => services.AddSingleton<IWebhookPublisher, FailingPublisher>()));
        await _app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Failed_announcement_after_the_store_keeps_the_claim_and_the_retry_stores_nothing_more()
    {
        var workspace = await _app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "N", OwnerEmail = "o@n.example" });
        await NpsOn.EnableAsync(_app.Services, workspace);
        var client = _app.CreateClient();
        HttpRequestMessage Nps()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/nps") { Content = Json.Body(new { score = 3, session_token = "same-visitor" }) };
            request.Headers.Add("X-Project-Key", workspace.ProjectKey);
            return request;
        }

        var first = await client.SendAsync(Nps());
        var retry = await client.SendAsync(Nps());

        // Stored with its event: the failed announcement is made up by the outbox flush, not by the client.
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await retry.AssertErrorAsync(409, "already_responded");
        Assert.Equal(1, await _app.Services.GetRequiredService<IResponseStore>().CountAsync(workspace.WorkspaceId, new ResponseQuery()));
    }

    /// <summary>
    /// Fails whatever comes after the store. (The real publisher logs a failure after a write
    /// instead of failing the request; this one stands for any failure past the store.)
    /// </summary>
    private sealed class FailingPublisher : IWebhookPublisher
    {
        public Task PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default) =>
            throw new Azure.RequestFailedException(503, "The server is busy.");
    }
}
