using System.Net;
using System.Text.Json;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>
/// The queue refuses the first attempt after the idempotency key was claimed: the caller gets
/// 503 (not accepted), and its retry with the same key gets the same id and is made durable.
/// </summary>
public sealed class SubmitDurabilityTests(SubmitDurabilityTests.QueuedApp app) : IClassFixture<SubmitDurabilityTests.QueuedApp>
{
    /// <summary>
    /// Behind a fault proxy, on an Azurite of its own, with the enrichment function disabled (as an
    /// app setting disables a function): what was queued stays on the queue to be read, and no
    /// other app's trigger takes it.
    /// </summary>
    public sealed class QueuedApp : ProxiedApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["AzureWebJobs:EnrichSubmission:Disabled"] = "true",
        };

        protected override Task<AzuriteServer> StartProxiedAzuriteAsync() => AzuriteServer.StartPrivateAsync();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task Failed_enqueue_is_503_and_the_retry_gets_the_same_id()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();

        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.Submissions));
        var first = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "once"));
        app.Faults.Fail(null);
        var retry = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "once"));

        await first.AssertErrorAsync(503, "storage_unavailable");
        Assert.True(app.Faults.Refused > 0);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var id = (await retry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        Assert.Equal([id], await QueuedAsync(workspace.WorkspaceId));
    }

    /// <summary>The feedback ids of the workspace's submissions waiting on the queue.</summary>
    private async Task<List<string?>> QueuedAsync(string workspaceId)
    {
        var messages = (await app.Get<StorageAccount>().GetQueueClient(StorageNames.Queues.Submissions).PeekMessagesAsync(32)).Value;
        return messages.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement)
            .Where(m => m.GetProperty("workspace_id").GetString() == workspaceId)
            .Select(m => m.GetProperty("feedback_id").GetString())
            .ToList();
    }
}
