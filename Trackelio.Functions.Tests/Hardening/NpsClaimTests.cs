using System.Net;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §8: when the response is stored but announcing it fails, the visitor's once-per-period
/// claim stays: the retry is 409 <c>already_responded</c>, never a second stored response.
/// </summary>
public sealed class NpsClaimTests(NpsClaimTests.FaultyApp app) : IClassFixture<NpsClaimTests.FaultyApp>
{
    /// <summary>The app on the shared Azurite, behind a fault proxy of its own.</summary>
    public sealed class FaultyApp : ProxiedApp;

    [Fact]
    public async Task Failed_announcement_after_the_store_keeps_the_claim_and_the_retry_stores_nothing_more()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await NpsOn.EnableAsync(app.Services, workspace);
        var client = app.CreateClient();
        HttpRequestMessage Nps()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/nps") { Content = Json.Body(new { score = 3, session_token = "same-visitor" }) };
            request.Headers.Add("X-Project-Key", workspace.ProjectKey);
            return request;
        }

        // Whatever comes after the store fails: announcing reads the workspace's webhook endpoints first
        // (nothing of the response's own write touches them), then records and queues deliveries.
        app.Faults.Fail(IsAnnouncing);
        var first = await client.SendAsync(Nps());
        var retry = await client.SendAsync(Nps());
        app.Faults.Fail(null);

        // Stored with its event: the failed announcement is made up by the outbox flush, not by the client.
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await retry.AssertErrorAsync(409, "already_responded");
        Assert.Equal(1, await app.Get<IResponseStore>().CountAsync(workspace.WorkspaceId, new ResponseQuery()));
        Assert.True(app.Faults.Refused > 0, "The announcement never reached storage: the fault was not met.");
    }

    private static bool IsAnnouncing(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath.Contains("/" + StorageNames.Tables.Webhooks + "()", StringComparison.Ordinal)
        || request.RequestUri.AbsolutePath.Contains("/" + StorageNames.Tables.WebhookDeliveries, StringComparison.Ordinal)
        || FaultyStorage.IsBatchOn(request, StorageNames.Tables.WebhookDeliveries)
        || FaultyStorage.IsQueueSend(request, StorageNames.Queues.Webhooks);
}
