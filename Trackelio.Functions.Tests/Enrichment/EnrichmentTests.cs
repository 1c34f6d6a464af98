using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Trackelio.Functions.Api;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Enrichment;

[Collection(AppCollection.Name)]
public sealed class EnrichmentTests(TrackelioApp app)
{
    private static FeedbackSubmission Submission(BootstrapResult workspace, string? description = null) => new()
    {
        Id = Ids.New(Ids.Feedback),
        WorkspaceId = workspace.WorkspaceId,
        WidgetId = workspace.WidgetId,
        ReceivedAt = DateTimeOffset.UtcNow,
        Description = description ?? "It broke",
        ItemType = "bug",
    };

    private static string Message(FeedbackSubmission submission) =>
        JsonSerializer.Serialize(new SubmissionMessage { FeedbackId = submission.Id, WorkspaceId = submission.WorkspaceId, Submission = submission }, TrackelioJson.Options);

    private Task<long> TotalAsync(BootstrapResult workspace) =>
        app.Get<ICounterStore>().GetAsync(workspace.WorkspaceId, $"widget|{workspace.WidgetId}|feedback|total");

    [Fact]
    public async Task Message_processed_twice_leaves_one_record_counted_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var submission = Submission(workspace);
        var enricher = app.Get<SubmissionEnricher>();

        await enricher.HandleAsync(Message(submission), 1, CancellationToken.None);
        var first = await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id);
        await enricher.HandleAsync(Message(submission with { Description = "changed on redelivery" }), 2, CancellationToken.None);
        var second = await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id);

        Assert.Equal(first!.ETag, second!.ETag);
        Assert.Equal("It broke", second.Value.Body);
        Assert.Equal(1, await TotalAsync(workspace));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_message_leave_one_record_counted_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var message = Message(Submission(workspace));
        var enricher = app.Get<SubmissionEnricher>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => enricher.HandleAsync(message, i + 1, CancellationToken.None)));

        Assert.Equal(1, await TotalAsync(workspace));
    }

    [Fact]
    public async Task Run_that_died_between_write_and_delete_still_ends_with_one_record()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var submission = Submission(workspace);
        var queue = app.Get<StorageAccount>().GetQueueClient(StorageNames.Queues.Submissions);

        // A first run writes the record and dies before deleting the message; the host then delivers it again.
        await app.Get<SubmissionEnricher>().HandleAsync(Message(submission), 1, CancellationToken.None);
        await queue.SendMessageAsync(Message(submission));
        await app.Host.WaitForInvocationAsync(i => i.FunctionName == SubmissionEnricher.FunctionName && i.Status == Trackelio.DevHost.InvocationStatus.Success
            && i.Started > DateTimeOffset.UtcNow.AddSeconds(-30), TimeSpan.FromSeconds(20));

        Assert.NotNull(await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id));
        Assert.Equal(1, await TotalAsync(workspace));
    }

    [Fact]
    public async Task A_failing_handler_makes_the_function_fail_so_the_host_retries_it()
    {
        var handler = new Mock<IQueueMessageHandler>();
        handler.Setup(h => h.HandleAsync(It.IsAny<string>(), It.IsAny<long>(), It.IsAny<CancellationToken>())).ThrowsAsync(new TimeoutException("downstream"));
        var function = new QueueFunction("Failing", "failing", typeof(IQueueMessageHandler));
        var services = new Mock<IServiceProvider>();
        services.Setup(s => s.GetService(typeof(IQueueMessageHandler))).Returns(handler.Object);
        var runner = new QueueFunctionRunner(services.Object, app.Get<StorageAccount>(), NullLogger<QueueFunctionRunner>.Instance);

        Assert.False(await runner.RunAsync(function, "always fails", 3, CancellationToken.None));
        handler.Verify(h => h.HandleAsync("always fails", 3, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"feedback_id\":\"nope\",\"workspace_id\":\"ws_x\"}")]
    [InlineData("{\"version\":1,\"feedback_id\":\"fb_01m7zbbpetv64rmncqpgf9j990\",\"workspace_id\":\"ws_01m7zbbpetv64rmncqpgf9j990\",\"blob\":\"ws_01m7zbbpetv64rmncqpgf9j990/missing.json\"}")]
    public async Task Malformed_message_goes_straight_to_the_poison_queue_and_never_blocks(string body)
    {
        var unique = body + " " + Guid.NewGuid();
        var account = app.Get<StorageAccount>();
        // Sent to the real submissions queue: the app's own pump must poison it.
        var text = body.StartsWith('{') ? body : unique;
        await account.GetQueueClient(StorageNames.Queues.Submissions).SendMessageAsync(text);
        var poison = account.GetQueueClient(StorageNames.Queues.SubmissionsPoison);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        var found = false;
        while (!found && DateTime.UtcNow < deadline)
        {
            // Peeked, not received: receiving would hide the message from other readers.
            found = (await poison.PeekMessagesAsync(32)).Value.Any(m => m.MessageText == text);
            if (!found)
            {
                await Task.Delay(100);
            }
        }

        Assert.True(found, "the malformed message did not reach the poison queue");
    }

    [Fact]
    public async Task Secrets_in_captured_logs_never_reach_the_stored_record()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();

        var response = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            description = "Payment failed",
            item_type = "bug",
            page = new { url = "https://shop.example/reset?token=resettoken123" },
            console_logs = new[] { new { level = "error", message = "retrying with Authorization: Bearer sekr1tbearer and card 4111 1111 1111 1111" } },
            network_logs = new[]
            {
                new
                {
                    method = "POST",
                    url = "https://api.example/login?api_key=AKIAKEY123",
                    request_headers = new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz", ["Cookie"] = "sid=abc123cookie", ["Accept"] = "application/json" },
                    request_body = "{\"email\":\"ann@example.com\",\"password\":\"hunter2hunter2\"}",
                    response_body = "{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\"}",
                },
            },
        }));
        var id = (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        var logs = await app.Get<IFeedbackStore>().GetLogsAsync(workspace.WorkspaceId, id);
        var stored = JsonSerializer.Serialize(record, TrackelioJson.Options) + JsonSerializer.Serialize(logs, TrackelioJson.Options);

        foreach (var secret in new[] { "resettoken123", "sekr1tbearer", "4111 1111 1111 1111", "AKIAKEY123", "dXNlcjpwYXNz", "abc123cookie", "hunter2hunter2", "c2lnbmF0dXJl" })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
        Assert.Equal("application/json", logs!.NetworkLogs[0].RequestHeaders!["Accept"]);
        Assert.Contains("ann@example.com", logs.NetworkLogs[0].RequestBody, StringComparison.Ordinal);
        Assert.True(record.Logs!.Redactions >= 8, $"{record.Logs.Redactions} redactions");
    }
}
