using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §6: frozen storage (every request hangs, as a SIGSTOPped Azurite does) holds a
/// widget or management request no longer than its storage deadline: then 503 + Retry-After,
/// and requests succeed again as soon as storage thaws, without a restart.
/// </summary>
public sealed class StorageDeadlineTests(StorageDeadlineTests.DeadlineApp app) : IClassFixture<StorageDeadlineTests.DeadlineApp>
{
    /// <summary>The app behind a fault proxy of its own, with the short storage deadline under test.</summary>
    public sealed class DeadlineApp : ProxiedApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Trackelio:Storage:RequestDeadline"] = "00:00:01",
        };
    }

    [Fact]
    public async Task Frozen_storage_is_503_with_retry_after_for_both_apis_and_recovers()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var widget = app.CreateClient();
        widget.Timeout = TimeSpan.FromSeconds(90); // far beyond the deadline; the clients' own retries would take minutes
        var management = app.CreateClient();
        management.Timeout = widget.Timeout;
        management.DefaultRequestHeaders.Authorization = new("Bearer", workspace.AdminKey);
        await widget.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        await management.GetAsync("/v1/feedback");
        // A widget this instance has not resolved yet: its config (which sets no per-request deadline
        // timer, OwnStorageDeadlineAttribute) waits on the key's load, bounded by the widget directory.
        var unseen = await app.CreateWorkspaceAsync();

        app.Faults.Frozen = true;
        var submit = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "frozen-1"));
        var list = await management.GetAsync("/v1/feedback");
        var config = await widget.GetAsync($"/v1/widget/config?key={unseen.ProjectKey}");
        app.Faults.Frozen = false;
        var configAfter = await RetriedAsync(() => widget.GetAsync($"/v1/widget/config?key={unseen.ProjectKey}"));
        var after = await RetriedAsync(() => widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "frozen-1")));

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

    /// <summary>
    /// The request, sent again as a client told Retry-After would while it is 503 <c>storage_unavailable</c>: with a
    /// one-second deadline, a busy machine's thawed storage may still miss it once or twice; it must not keep missing it.
    /// </summary>
    private static async Task<HttpResponseMessage> RetriedAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await send();
            if (response.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || attempt == 10)
            {
                return response;
            }
            await response.AssertErrorAsync(503, "storage_unavailable");
            await Task.Delay(500);
        }
    }
}
