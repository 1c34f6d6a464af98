using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Workspaces;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Webhooks;

/// <summary>
/// Events of request handlers are stored with the change that causes them (an outbox row in its
/// transaction) and delivered at least once with a stable <c>webhook-id</c>: a publish that fails
/// after the write is made up by the write's flush message; a write that fails leaves nothing to
/// deliver. The queues are worked through by the tests (<see cref="OutboxApp.RunQueueAsync"/>).
/// </summary>
[Collection(OutboxCollection.Name)]
public sealed class EventOutboxTests(OutboxApp app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        app.Faults.Fail(null);
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Feedback_created_whose_publish_failed_after_the_write_is_delivered_once_by_the_flush()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.FeedbackCreated);

        // Storage fails while the event is published: the record is written, its delivery not queued.
        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.Webhooks));
        var created = await DataAsync(await client.PostAsync("/v1/feedback", Json.Body(new { body = "keep my event" })), HttpStatusCode.Created);
        app.Faults.Fail(null);
        var id = created.GetProperty("id").GetString()!;

        Assert.Single(await OutboxRowsAsync(workspace));
        Assert.Equal(0, await app.RunQueueAsync(WebhookDeliverer.FunctionName));
        Assert.Equal(1, await app.RunQueueAsync(OutboxFlusher.FunctionName));
        Assert.Empty(await OutboxRowsAsync(workspace));
        Assert.Equal(1, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var (headers, body, _) = Assert.Single(_receiver.Requests);
        Assert.True(SignatureIsValid(endpoint.Secret, headers, body));
        Assert.Equal(id, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetString());
        // The webhook-id is the event's stable one: the same as publishing at once would have made.
        var record = (await app.Get<Trackelio.Functions.Feedback.IFeedbackStore>().GetAsync(workspace.WorkspaceId, id))!.Value;
        var expected = WebhookPublisher.DeliveryId(new DomainEvent(workspace.WorkspaceId, WebhookEvents.FeedbackCreated, id, record.CreatedAt, new { }), endpoint.Id);
        Assert.Equal(expected, headers["webhook-id"]);
        Assert.Equal(expected, Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Id);
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task Feedback_updated_whose_publish_failed_after_the_write_is_delivered_once_by_the_flush()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.FeedbackUpdated);
        var id = await CreateFeedbackAsync(client);

        // This time the delivery itself cannot be recorded.
        app.Faults.Fail(r => FaultyStorage.IsBatchOn(r, StorageNames.Tables.WebhookDeliveries));
        Assert.Equal("pending", (await DataAsync(await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "pending" })), HttpStatusCode.OK))
            .GetProperty("status").GetString());
        app.Faults.Fail(null);

        Assert.Single(await OutboxRowsAsync(workspace));
        Assert.Empty(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50));
        Assert.Equal(2, await app.RunQueueAsync(OutboxFlusher.FunctionName)); // the create's (nothing left) and the update's
        Assert.Equal(1, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var (headers, body, _) = Assert.Single(_receiver.Requests);
        Assert.True(SignatureIsValid(endpoint.Secret, headers, body));
        var payload = JsonDocument.Parse(body).RootElement;
        Assert.Equal(WebhookEvents.FeedbackUpdated, payload.GetProperty("type").GetString());
        Assert.Equal("pending", payload.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Id, headers["webhook-id"]);
        Assert.Empty(await OutboxRowsAsync(workspace));
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task Without_faults_each_event_is_delivered_once_and_leaves_no_outbox_row()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.FeedbackCreated, WebhookEvents.FeedbackUpdated);
        var id = await CreateFeedbackAsync(client);
        await DataAsync(await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "resolved" })), HttpStatusCode.OK);

        Assert.Empty(await OutboxRowsAsync(workspace));
        Assert.Equal(2, await app.RunQueueAsync(OutboxFlusher.FunctionName)); // both flushes find their events published
        Assert.Equal(2, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var requests = _receiver.Requests.ToList();
        Assert.Equal([WebhookEvents.FeedbackCreated, WebhookEvents.FeedbackUpdated],
            requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).Order());
        Assert.Equal(2, requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal(2, (await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Count);
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task A_write_that_fails_leaves_no_outbox_row_and_delivers_nothing()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.FeedbackCreated, WebhookEvents.FeedbackUpdated);
        var id = await CreateFeedbackAsync(client);
        await app.RunQueueAsync(OutboxFlusher.FunctionName);
        await app.RunQueueAsync(WebhookDeliverer.FunctionName);
        _receiver.Requests.Clear();

        // The record's transaction fails: neither the change nor its event is stored.
        app.Faults.Fail(FaultyStorage.IsBatch);
        var update = await client.PatchAsync($"/v1/feedback/{id}", Json.Body(new { status = "closed" }));
        var create = await client.PostAsync("/v1/feedback", Json.Body(new { body = "never stored" }));
        app.Faults.Fail(null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, update.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);

        Assert.Empty(await OutboxRowsAsync(workspace));
        Assert.Equal(2, await app.RunQueueAsync(OutboxFlusher.FunctionName)); // their flushes find nothing
        Assert.Equal(0, await app.RunQueueAsync(WebhookDeliverer.FunctionName));
        Assert.Empty(_receiver.Requests);
        Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)); // feedback.created only
        var list = await DataAsync(await client.GetAsync("/v1/feedback"), HttpStatusCode.OK);
        Assert.Equal("new", Assert.Single(list.EnumerateArray()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Widget_resumed_whose_publish_failed_after_the_write_is_delivered_once_by_the_flush()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.WidgetResumed);
        await DataAsync(await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/pause", Json.Body(new { reason = "maintenance" })), HttpStatusCode.OK);

        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.Webhooks));
        await DataAsync(await client.PostAsync($"/v1/widgets/{workspace.WidgetId}/resume", Json.Body(new { notify = true })), HttpStatusCode.OK);
        app.Faults.Fail(null);

        Assert.Single(await OutboxRowsAsync(workspace, StorageNames.Tables.Widgets));
        // The waiting event is not a widget.
        Assert.Equal(workspace.WidgetId, Assert.Single((await DataAsync(await client.GetAsync("/v1/widgets"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, await app.RunQueueAsync(OutboxFlusher.FunctionName));
        Assert.Equal(1, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var (headers, body, _) = Assert.Single(_receiver.Requests);
        Assert.True(SignatureIsValid(endpoint.Secret, headers, body));
        Assert.Equal(WebhookEvents.WidgetResumed, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
        Assert.Equal(Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Id, headers["webhook-id"]);
        Assert.Empty(await OutboxRowsAsync(workspace, StorageNames.Tables.Widgets));
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task Response_created_whose_publish_failed_after_the_write_is_delivered_once_by_the_flush()
    {
        var (workspace, client, endpoint) = await WorkspaceAsync(WebhookEvents.ResponseCreated);
        await Hardening.NpsOn.EnableAsync(app.Services, workspace);

        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.Webhooks));
        var nps = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/nps") { Content = Json.Body(new { score = 9, session_token = "visitor" }) };
        nps.Headers.Add("X-Project-Key", workspace.ProjectKey);
        var id = (await DataAsync(await app.CreateClient().SendAsync(nps), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        app.Faults.Fail(null);

        Assert.Single(await OutboxRowsAsync(workspace, StorageNames.Tables.Responses));
        // The waiting event is not a response.
        Assert.Equal(id, Assert.Single((await DataAsync(await client.GetAsync("/v1/responses"), HttpStatusCode.OK)).EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(1, await app.RunQueueAsync(OutboxFlusher.FunctionName));
        Assert.Equal(1, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var (headers, body, _) = Assert.Single(_receiver.Requests);
        Assert.True(SignatureIsValid(endpoint.Secret, headers, body));
        Assert.Equal(id, JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(Assert.Single(await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Id, headers["webhook-id"]);
        Assert.Empty(await OutboxRowsAsync(workspace, StorageNames.Tables.Responses));
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task Messenger_events_whose_publish_failed_after_the_writes_are_delivered_once_by_the_flushes()
    {
        var (workspace, _, endpoint) = await WorkspaceAsync(WebhookEvents.ConversationStarted, WebhookEvents.MessageCreated, WebhookEvents.ConversationEnded);
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Modules = w.Config.Modules with { Messenger = new ModuleSwitch { Enabled = true } } } });
        var visitor = app.CreateClient();
        HttpRequestMessage Messenger(string path, object body, string? token = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/" + path) { Content = Json.Body(body) };
            request.Headers.Add("X-Project-Key", workspace.ProjectKey);
            if (token is not null)
            {
                request.Headers.Add("X-Visitor-Token", token);
            }
            return request;
        }

        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.Webhooks));
        var started = await DataAsync(await visitor.SendAsync(Messenger("start", new { message = "Hello?" })), HttpStatusCode.Created);
        var (id, token) = (started.GetProperty("conversation_id").GetString()!, started.GetProperty("visitor_token").GetString()!);
        await DataAsync(await visitor.SendAsync(Messenger("message", new { conversation_id = id, body = "Anyone?" }, token)), HttpStatusCode.Created);
        await DataAsync(await visitor.SendAsync(Messenger("end", new { conversation_id = id }, token)), HttpStatusCode.OK);
        app.Faults.Fail(null);

        // Three writes, three outbox rows (the start holds two events: the conversation and its first message).
        Assert.Equal(3, (await OutboxRowsAsync(workspace, StorageNames.Tables.Conversations)).Count);
        Assert.Equal(3, await app.RunQueueAsync(OutboxFlusher.FunctionName));
        Assert.Equal(4, await app.RunQueueAsync(WebhookDeliverer.FunctionName));

        var requests = _receiver.Requests.ToList();
        Assert.Equal([WebhookEvents.ConversationEnded, WebhookEvents.ConversationStarted, WebhookEvents.MessageCreated, WebhookEvents.MessageCreated],
            requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).Order());
        Assert.All(requests, r => Assert.True(SignatureIsValid(endpoint.Secret, r.Headers, r.Body)));
        Assert.Equal(4, requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        Assert.Equal(4, (await app.Get<IWebhookStore>().ListDeliveriesAsync(workspace.WorkspaceId, endpoint.Id, 50)).Count);
        Assert.Empty(await OutboxRowsAsync(workspace, StorageNames.Tables.Conversations));
        await AssertQueuesDrainedAsync();
    }

    [Fact]
    public async Task An_update_that_finds_nothing_to_change_queues_no_flush()
    {
        var (_, client, _) = await WorkspaceAsync(WebhookEvents.FeedbackUpdated);

        var missing = await client.PatchAsync($"/v1/feedback/{Trackelio.Functions.Api.Ids.New(Trackelio.Functions.Api.Ids.Feedback)}", Json.Body(new { status = "closed" }));

        await missing.AssertErrorAsync(404, "not_found");
        Assert.Equal(0, await app.RunQueueAsync(OutboxFlusher.FunctionName));
    }

    [Fact]
    public async Task A_flush_that_cannot_be_queued_fails_the_request_before_anything_is_written()
    {
        var (workspace, client, _) = await WorkspaceAsync(WebhookEvents.FeedbackCreated);

        app.Faults.Fail(r => FaultyStorage.IsQueueSend(r, StorageNames.Queues.WebhookOutbox));
        var create = await client.PostAsync("/v1/feedback", Json.Body(new { body = "no flush, no write" }));
        app.Faults.Fail(null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, create.StatusCode);
        Assert.Empty((await DataAsync(await client.GetAsync("/v1/feedback"), HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty(await OutboxRowsAsync(workspace));
        Assert.Equal(0, await app.RunQueueAsync(WebhookDeliverer.FunctionName));
    }

    private async Task<(BootstrapResult Workspace, HttpClient Client, (string Id, string Secret) Endpoint)> WorkspaceAsync(params string[] events)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var endpoint = await DataAsync(await client.PostAsync("/v1/webhooks", Json.Body(new { url = _receiver.Url, events })), HttpStatusCode.Created);
        return (workspace, client, (endpoint.GetProperty("id").GetString()!, endpoint.GetProperty("secret").GetString()!));
    }

    private static async Task<string> CreateFeedbackAsync(HttpClient client) =>
        (await DataAsync(await client.PostAsync("/v1/feedback", Json.Body(new { body = "hello" })), HttpStatusCode.Created)).GetProperty("id").GetString()!;

    /// <summary>The workspace's outbox rows in <paramref name="table"/> (events stored and not yet known to be published).</summary>
    private async Task<List<string>> OutboxRowsAsync(BootstrapResult workspace, string table = StorageNames.Tables.Feedback)
    {
        var rows = new List<string>();
        var filter = $"PartitionKey eq '{workspace.WorkspaceId}' and RowKey ge '{EventOutbox.RowPrefix}' and RowKey lt 'outbox}}'";
        await foreach (var entity in app.Get<StorageAccount>().GetTableClient(table).QueryAsync<TableEntity>(filter, select: ["RowKey"]))
        {
            rows.Add(entity.RowKey);
        }
        return rows;
    }

    private async Task AssertQueuesDrainedAsync()
    {
        Assert.Equal(0, await app.RunQueueAsync(OutboxFlusher.FunctionName));
        Assert.Equal(0, await app.RunQueueAsync(WebhookDeliverer.FunctionName));
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>The Standard Webhooks check, from its spec (as in WebhookTests).</summary>
    private static bool SignatureIsValid(string secret, IReadOnlyDictionary<string, string> headers, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{headers["webhook-id"]}.{headers["webhook-timestamp"]}.{body}")));
        return headers["webhook-signature"].Split(' ').Any(s => s == "v1," + expected);
    }
}
