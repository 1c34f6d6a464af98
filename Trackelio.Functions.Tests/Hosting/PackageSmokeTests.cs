using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Trackelio.DevHost;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Webhooks;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// The zip, unpacked as the platform unpacks it and started under the dev host as the Functions host
/// starts an isolated worker (worker.config.json's <c>dotnet Trackelio.Functions.dll</c>, gRPC
/// handshake, worker indexing; docs/devhost.md), on an Azurite of its own: the widget's config, a
/// submission enriched by the <c>EnrichSubmission</c> queue trigger, and its webhook delivered by
/// <c>DeliverWebhook</c>. It runs the publish output (ReadyToRun, linux-x64, no dynamic code), not the
/// build the other tests run. Also run by <c>scripts/package.sh --smoke</c>.
/// </summary>
public sealed class PackageSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Unpacked_zip_runs_under_the_host_serves_config_and_runs_its_queue_functions()
    {
        var clock = Stopwatch.StartNew();
        var zip = await PackagedApp.ZipAsync();
        output.WriteLine($"package ready in {clock.Elapsed.TotalSeconds:0.0} s");
        var directory = PackagedApp.Extract(zip);
        await using var azurite = await AzuriteServer.StartPrivateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var app = new AppProcess(azurite.ConnectionString, new Dictionary<string, string>
        {
            // The receiver listens on loopback, which the webhook SSRF guard refuses by default.
            ["Trackelio__Webhooks__AllowPrivateTargets"] = "true",
        }, directory);
        try
        {
            // The app's own bootstrap command, run from the package (it creates the tables, queues and containers too).
            var keys = await app.BootstrapAsync("Smoke");
            var (projectKey, adminKey) = (keys.GetProperty("project_key").GetString()!, keys.GetProperty("admin_key").GetString()!);

            clock.Restart();
            await app.StartAsync();
            output.WriteLine($"dev host + packaged worker started in {clock.Elapsed.TotalSeconds:0.0} s ({app.Host.Functions.Count} functions)");
            try
            {
                using var http = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(60) };
                clock.Restart();
                using var config = await http.GetAsync("/v1/widget/config?key=" + projectKey);
                output.WriteLine($"first request (widget config) answered in {clock.Elapsed.TotalMilliseconds:0} ms");
                Assert.Equal(HttpStatusCode.OK, config.StatusCode);
                Assert.Equal(keys.GetProperty("widget_id").GetString(), (await config.ReadJsonAsync()).GetProperty("data").GetProperty("widget_id").GetString());

                using var admin = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(60) };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
                using var hook = await admin.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { WebhookEvents.FeedbackCreated } }));
                Assert.Equal(HttpStatusCode.Created, hook.StatusCode);

                using var submit = await http.SendAsync(WidgetRequests.Submit(projectKey, new { description = "smoke", item_type = "bug" }));
                Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
                var feedbackId = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;

                // The host's queue trigger hands the message to the worker; the enrichment writes the feedback.
                var enriched = await app.Host.WaitForInvocationAsync(r => r.FunctionName == "EnrichSubmission", TimeSpan.FromSeconds(30));
                Assert.Equal(InvocationStatus.Success, enriched.Status);
                using var record = await admin.GetAsync("/v1/feedback/" + feedbackId);
                Assert.Equal(HttpStatusCode.OK, record.StatusCode);

                // …and its feedback.created event reaches the receiver through the webhook queues.
                var delivered = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30)));
                Assert.Equal(feedbackId, JsonDocument.Parse(delivered.Body).RootElement.GetProperty("data").GetProperty("id").GetString());
                var account = azurite.CreateAccount();
                Assert.Empty((await account.GetQueueClient(StorageNames.Queues.SubmissionsPoison).PeekMessagesAsync(32)).Value);
                Assert.Empty((await account.GetQueueClient(StorageNames.Queues.WebhooksPoison).PeekMessagesAsync(32)).Value);
                Assert.DoesNotContain(app.Host.Invocations, r => r.Status != InvocationStatus.Success);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message}\n--- the host's and worker's log ---\n{app.RecentLog}", ex);
            }
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
