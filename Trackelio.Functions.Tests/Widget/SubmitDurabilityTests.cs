using System.Net;
using Azure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>
/// The queue refuses the first attempt after the idempotency key was claimed: the caller gets
/// 503 (not accepted), and its retry with the same key gets the same id and is made durable.
/// </summary>
public sealed class SubmitDurabilityTests : IAsyncLifetime
{
    private readonly FlakyQueue _queue = new();
    private WebApplicationFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:Enabled", "false")
            .ConfigureTestServices(services => services.AddSingleton<ISubmissionQueue>(_queue)));
        await _app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Failed_enqueue_is_503_and_the_retry_gets_the_same_id()
    {
        var workspace = await _app.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "D", OwnerEmail = "o@d.example" });
        var client = _app.CreateClient();
        _queue.FailNext = true;

        var first = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "once"));
        var retry = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "once"));

        await first.AssertErrorAsync(503, "storage_unavailable");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var id = (await retry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        Assert.Equal([id], _queue.Enqueued.Select(s => s.Id));
    }

    private sealed class FlakyQueue : ISubmissionQueue
    {
        public bool FailNext { get; set; }
        public List<FeedbackSubmission> Enqueued { get; } = [];

        public Task EnqueueAsync(FeedbackSubmission submission, CancellationToken cancellationToken = default)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new RequestFailedException(503, "The server is busy.");
            }
            Enqueued.Add(submission);
            return Task.CompletedTask;
        }
    }
}
