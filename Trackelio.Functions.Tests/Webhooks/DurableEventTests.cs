using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Trackelio.Functions.Api;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Enrichment.UserAgents;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Workspaces;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Webhooks;

/// <summary>
/// An event is never lost between the write that causes it and its publishing, and never
/// sent twice: delivery ids derive from (source, event, endpoint), so publishing again on
/// every retry is safe.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DurableEventTests(TrackelioApp app)
{
    [Fact]
    public async Task Feedback_created_survives_a_publish_failure_after_the_record_was_written()
    {
        var (workspace, endpointId) = await WorkspaceWithEndpointAsync();
        var submission = Submission(workspace);
        var publisher = app.Get<WebhookPublisher>();
        var failOnce = new Mock<IWebhookPublisher>();
        var calls = 0;
        failOnce.Setup(p => p.PublishAsync(It.IsAny<DomainEvent>(), It.IsAny<CancellationToken>()))
            .Returns((DomainEvent e, CancellationToken ct) => Interlocked.Increment(ref calls) == 1
                ? Task.FromException(new RequestFailedException(503, "storage went away"))
                : publisher.PublishAsync(e, ct));
        var enricher = Enricher(failOnce.Object);

        await Assert.ThrowsAsync<RequestFailedException>(() => enricher.HandleAsync(Message(submission), 1, CancellationToken.None));
        Assert.NotNull(await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id)); // the record was written
        await enricher.HandleAsync(Message(submission), 2, CancellationToken.None); // the queue's retry

        var deliveries = await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpointId, 50);
        var delivery = Assert.Single(deliveries);
        Assert.Equal(WebhookEvents.FeedbackCreated, delivery.EventType);
        Assert.Contains(submission.Id, delivery.Payload, StringComparison.Ordinal);
        // Interrupted between its writes and run again: one record, counted once (issue 11, faults).
        var list = await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback")).ReadJsonAsync();
        Assert.Equal(submission.Id, Assert.Single(list.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, list.GetProperty("meta").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Redelivered_messages_make_one_delivery_with_one_webhook_id()
    {
        var (workspace, endpointId) = await WorkspaceWithEndpointAsync();
        var submission = Submission(workspace);
        var enricher = app.Get<SubmissionEnricher>();

        await enricher.HandleAsync(Message(submission), 1, CancellationToken.None);
        await enricher.HandleAsync(Message(submission), 2, CancellationToken.None);
        await enricher.HandleAsync(Message(submission), 3, CancellationToken.None);

        var delivery = Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpointId, 50));
        var record = (await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, submission.Id))!.Value;
        Assert.Equal(WebhookPublisher.DeliveryId(new DomainEvent(workspace.WorkspaceId, WebhookEvents.FeedbackCreated, submission.Id, record.CreatedAt, new { }), endpointId),
            delivery.Id);
    }

    [Fact]
    public async Task Feedback_whose_event_is_too_large_to_store_is_announced_thin()
    {
        var (workspace, endpointId) = await WorkspaceWithEndpointAsync();
        // Quotes double when the record is stored and double again inside the delivery's payload
        // string: the record fits in one entity, the delivery as it was made did not.
        var metadata = JsonDocument.Parse(JsonSerializer.Serialize(new { note = new string('"', 300_000) })).RootElement;
        var submission = Submission(workspace) with { Metadata = metadata };

        await app.Get<SubmissionEnricher>().HandleAsync(Message(submission), 1, CancellationToken.None);

        var delivery = Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpointId, 50));
        var payload = JsonDocument.Parse(delivery.Payload).RootElement;
        Assert.Equal(submission.Id, payload.GetProperty("data").GetProperty("id").GetString());
        Assert.True(payload.GetProperty("data").GetProperty("truncated").GetBoolean());
        Assert.True(delivery.Payload.Length <= WebhookPublisher.MaxPayloadBytes);
    }

    [Fact]
    public async Task A_response_stored_before_publishing_failed_is_still_accepted()
    {
        var account = app.Get<StorageAccount>();
        var webhooks = new Mock<IWebhookStore>();
        webhooks.Setup(w => w.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Throws(new RequestFailedException(503, "storage went away"));
        var publisher = new WebhookPublisher(webhooks.Object, new WebhookEndpointCache(new Microsoft.Extensions.Caching.Memory.MemoryCache(new Microsoft.Extensions.Caching.Memory.MemoryCacheOptions())),
            account);
        var store = new TableResponseStore(account, app.Get<ResponseDays>(), new EventOutbox(account, publisher, app.Get<Trackelio.Functions.Mail.MailPublisher>(), Microsoft.Extensions.Options.Options.Create(new WebhookOptions()), NullLogger<EventOutbox>.Instance));
        var intake = new ResponseIntake(store, NullLogger<ResponseIntake>.Instance);
        var response = new ResponseRecord
        {
            Id = Ids.New(Ids.Response),
            WorkspaceId = Ids.New(Ids.Workspace),
            WidgetId = Ids.New(Ids.Widget),
            Kind = "nps",
            Score = 9,
            Category = "promoter",
            CreatedAt = DateTimeOffset.UtcNow,
        };

        var accepted = await intake.AcceptAsync(response, CancellationToken.None);

        Assert.Equal(response.Id, accepted.Id);
        Assert.NotNull(await store.GetAsync(response.WorkspaceId, response.Id));
        // The event waits beside the response for its flush (EventOutboxTests follows one to its delivery).
        var waiting = account.GetTableClient(StorageNames.Tables.Responses)
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {response.WorkspaceId} and RowKey ge {EventOutbox.RowPrefix} and RowKey lt {"outbox}"}"), select: ["RowKey"]);
        Assert.Equal(1, await waiting.CountAsync());
    }

    private async Task<(BootstrapResult Workspace, string EndpointId)> WorkspaceWithEndpointAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var created = await app.CreateManagementClient(workspace.AdminKey)
            .PostAsync("/v1/webhooks", Json.Body(new { url = "http://127.0.0.1:9/hook", events = new[] { WebhookEvents.FeedbackCreated } }));
        var endpointId = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        return (workspace, endpointId);
    }

    private SubmissionEnricher Enricher(IWebhookPublisher webhooks) => new(app.Get<StorageAccount>(), app.Get<IFeedbackStore>(), app.Get<IAttachmentStore>(),
        app.Get<WidgetLimitsCache>(), app.Get<UserAgentParser>(), webhooks, app.Get<Trackelio.Functions.Mail.MailPublisher>(), TimeProvider.System);

    private static FeedbackSubmission Submission(BootstrapResult workspace) => new()
    {
        Id = Ids.New(Ids.Feedback),
        WorkspaceId = workspace.WorkspaceId,
        WidgetId = workspace.WidgetId,
        ReceivedAt = DateTimeOffset.UtcNow,
        Description = "It broke",
        ItemType = "bug",
    };

    private static string Message(FeedbackSubmission submission) =>
        JsonSerializer.Serialize(new SubmissionMessage { FeedbackId = submission.Id, WorkspaceId = submission.WorkspaceId, Submission = submission }, TrackelioJson.Options);
}
