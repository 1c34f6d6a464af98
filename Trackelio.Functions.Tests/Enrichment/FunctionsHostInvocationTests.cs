using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Api;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using static Trackelio.Functions.Tests.Infrastructure.HostInvocation;

namespace Trackelio.Functions.Tests.Enrichment;

/// <summary>
/// The app as the Functions host runs it, on an Azurite of its own (so no other test's app takes
/// its queue messages): queue triggers arrive as invocation POSTs built by <see cref="HostInvocation"/>,
/// which follows the host's code line for line.
/// </summary>
public sealed class FunctionsHostInvocationTests(FunctionsHostInvocationTests.HostedApp host) : IClassFixture<FunctionsHostInvocationTests.HostedApp>
{
    private const string Binding = QueueInvocationEndpoints.TriggerBindingName;

    /// <summary>The app with <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set (so: no pump, invocation endpoints mapped), on a private Azurite.</summary>
    public sealed class HostedApp : IAsyncLifetime
    {
        public AzuriteServer Azurite { get; private set; } = null!;
        public WebApplicationFactory<Program> App { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Azurite = await AzuriteServer.StartPrivateAsync();
            App = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
                .UseSetting("AzureWebJobsStorage", Azurite.ConnectionString)
                .UseSetting("FUNCTIONS_CUSTOMHANDLER_PORT", "7999")
                .UseSetting("Trackelio:Storage:StartDelay", "00:00:00")
                .UseSetting("Trackelio:Webhooks:AllowPrivateTargets", "true"));
            await App.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Azurite.DisposeAsync();
        }
    }

    private T Get<T>()
        where T : notnull => host.App.Services.GetRequiredService<T>();

    private Task<BootstrapResult> WorkspaceAsync() =>
        Get<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "Host", OwnerEmail = $"o-{Guid.NewGuid():N}@host.example" });

    private static string SubmissionMessage(BootstrapResult workspace, string feedbackId, string description) =>
        JsonSerializer.Serialize(new SubmissionMessage
        {
            FeedbackId = feedbackId,
            WorkspaceId = workspace.WorkspaceId,
            Submission = new FeedbackSubmission
            {
                Id = feedbackId,
                WorkspaceId = workspace.WorkspaceId,
                WidgetId = workspace.WidgetId,
                ReceivedAt = DateTimeOffset.UtcNow,
                Description = description,
                ItemType = "bug",
            },
        }, TrackelioJson.Options);

    private async Task<IReadOnlyList<string>> PoisonedAsync(string queueName) =>
        (await Get<StorageAccount>().GetQueueClient(queueName).PeekMessagesAsync(32)).Value.Select(m => m.MessageText).ToList();

    public static TheoryData<string> TriggerForms => ["text", "text as bytes", "binary", "object"];

    /// <summary>The trigger value as the queue extension binds it, for each form the host can send.</summary>
    private static (object Value, DataType Type) TriggerValue(string form, string text) => form switch
    {
        "text" => (text, DataType.String),                          // the default: a string, sent as a JSON string literal in a string
        "text as bytes" => (Encoding.UTF8.GetBytes(text), DataType.String), // byte[] → Convert.ToBase64String
        "binary" => (Encoding.UTF8.GetBytes(text), DataType.Binary),       // dataType: binary → byte[], written as base64
        "object" => (Newtonsoft.Json.Linq.JObject.Parse(text), DataType.String), // an object → JObject.FromObject
        _ => throw new ArgumentOutOfRangeException(nameof(form)),
    };

    [Theory]
    [MemberData(nameof(TriggerForms))]
    public async Task EnrichSubmission_stores_the_record_for_every_form_the_host_sends(string form)
    {
        var workspace = await WorkspaceAsync();
        var feedbackId = Ids.New(Ids.Feedback);
        var (value, type) = TriggerValue(form, SubmissionMessage(workspace, feedbackId, "via the host: " + form));

        var response = await host.App.CreateClient().SendAsync(ForTriggerValue(SubmissionEnricher.FunctionName, Binding, value, type));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(body!.ContainsKey("Outputs") && body.ContainsKey("Logs") && body.ContainsKey("ReturnValue"));
        var record = await Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, feedbackId);
        Assert.Equal("via the host: " + form, record?.Value.Body);
        Assert.DoesNotContain(await PoisonedAsync(StorageNames.Queues.SubmissionsPoison), m => m.Contains(feedbackId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submission_is_enriched_and_its_webhook_delivered_through_the_hosts_queue_loop()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await WorkspaceAsync();
        var client = host.App.CreateClient();
        var admin = host.App.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", workspace.AdminKey);
        var hook = await admin.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { WebhookEvents.FeedbackCreated } }));
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var submitted = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { description = "through the queue", item_type = "bug" }));
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var feedbackId = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<string>();
        var account = Get<StorageAccount>();

        // The host takes the message the app wrote and invokes EnrichSubmission with it.
        var enriched = await HostQueueListener.InvokeNextAsync(account.GetQueueClient(StorageNames.Queues.Submissions), client, SubmissionEnricher.FunctionName, Binding);
        // Enrichment published feedback.created: the host invokes DeliverWebhook with that message.
        var delivered = await HostQueueListener.InvokeNextAsync(account.GetQueueClient(StorageNames.Queues.Webhooks), client, WebhookDeliverer.FunctionName, Binding);

        Assert.Equal(HttpStatusCode.OK, enriched.StatusCode);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("through the queue", (await Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, feedbackId))?.Value.Body);
        var request = Assert.Single(receiver.Requests);
        var payload = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(WebhookEvents.FeedbackCreated, payload.GetProperty("type").GetString());
        Assert.Equal(feedbackId, payload.GetProperty("data").GetProperty("id").GetString());
        Assert.DoesNotContain(await PoisonedAsync(StorageNames.Queues.SubmissionsPoison), m => m.Contains(feedbackId, StringComparison.Ordinal));
        Assert.Empty(await PoisonedAsync(StorageNames.Queues.WebhooksPoison));
    }

    [Fact]
    public async Task Malformed_message_is_poisoned_as_it_was_queued_and_answered_as_handled()
    {
        var text = "not a submission " + Guid.NewGuid();

        var response = await host.App.CreateClient().SendAsync(ForTriggerValue(SubmissionEnricher.FunctionName, Binding, text));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(text, await PoisonedAsync(StorageNames.Queues.SubmissionsPoison));
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("not base64 and not JSON")]
    public async Task Trigger_value_in_no_host_form_is_refused_and_nothing_is_poisoned(string value)
    {
        var invocation = new JsonObject { ["Data"] = new JsonObject { [Binding] = value }, ["Metadata"] = new JsonObject { ["DequeueCount"] = "1" } };

        var response = await host.App.CreateClient().PostAsJsonAsync("/" + SubmissionEnricher.FunctionName, invocation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(await PoisonedAsync(StorageNames.Queues.SubmissionsPoison), m => m.Contains("unterminated", StringComparison.Ordinal) || m.Contains("not base64", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"Metadata\":{}}")]
    [InlineData("[1,2]")]
    [InlineData("{\"Data\":[]}")]
    public async Task Invocation_without_data_is_400(string invocation)
    {
        var response = await host.App.CreateClient().PostAsync("/" + SubmissionEnricher.FunctionName, new StringContent(invocation, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Standalone_app_does_not_expose_the_invocation_endpoint()
    {
        // Its pump stays off: only this class's app reads these queues.
        await using var standalone = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", host.Azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:Enabled", "false"));

        var response = await standalone.CreateClient().SendAsync(ForTriggerValue(SubmissionEnricher.FunctionName, Binding, "{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
