using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Enrichment;

/// <summary>The app as the Functions host runs it: queue triggers arrive as invocation POSTs.</summary>
public sealed class FunctionsHostInvocationTests : IAsyncLifetime
{
    private WebApplicationFactory<Program> _host = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("FUNCTIONS_CUSTOMHANDLER_PORT", "7999"));
        await _host.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<BootstrapResult> WorkspaceAsync() =>
        await _host.Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "Host", OwnerEmail = "o@host.example" });

    private static JsonObject Invocation(string message, string dequeueCount = "1") => new()
    {
        // The host hands a string queue payload over as a JSON string.
        ["Data"] = new JsonObject { ["message"] = message },
        ["Metadata"] = new JsonObject { ["DequeueCount"] = dequeueCount, ["Id"] = Guid.NewGuid().ToString() },
    };

    [Fact]
    public async Task Invocation_runs_the_function_and_answers_the_host_shape()
    {
        var workspace = await WorkspaceAsync();
        var submission = new FeedbackSubmission
        {
            Id = Ids.New(Ids.Feedback),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            ReceivedAt = DateTimeOffset.UtcNow,
            Description = "via the host",
            ItemType = "bug",
        };
        var message = JsonSerializer.Serialize(new SubmissionMessage { FeedbackId = submission.Id, WorkspaceId = workspace.WorkspaceId, Submission = submission }, TrackelioJson.Options);

        var response = await _host.CreateClient().PostAsJsonAsync("/EnrichSubmission", Invocation(message));

        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body!.ContainsKey("Outputs") && body.ContainsKey("Logs") && body.ContainsKey("ReturnValue"));
        var record = await _host.Services.GetRequiredService<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id);
        Assert.Equal("via the host", record?.Value.Body);
    }

    [Fact]
    public async Task Malformed_message_is_poisoned_and_answered_as_handled()
    {
        var text = "not a submission " + Guid.NewGuid();

        var response = await _host.CreateClient().PostAsJsonAsync("/EnrichSubmission", Invocation(text));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var poison = _host.Services.GetRequiredService<StorageAccount>().GetQueueClient(StorageNames.Queues.SubmissionsPoison);
        var found = false;
        for (var i = 0; i < 20 && !found; i++)
        {
            found = (await poison.PeekMessagesAsync(32)).Value.Any(m => m.Body == text);
            await Task.Delay(found ? 0 : 100);
        }
        Assert.True(found);
    }

    [Fact]
    public async Task Invocation_without_data_is_400()
    {
        var response = await _host.CreateClient().PostAsJsonAsync("/EnrichSubmission", new JsonObject { ["Metadata"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Standalone_app_does_not_expose_the_invocation_endpoint()
    {
        var azurite = await AzuriteServer.GetAsync();
        // Its pump stays off: only the collection's app consumes the shared queues.
        await using var standalone = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:Enabled", "false"));

        var response = await standalone.CreateClient().PostAsJsonAsync("/EnrichSubmission", Invocation("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
