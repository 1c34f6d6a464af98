using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class WebhookTests(TrackelioApp app)
{
    /// <summary>The Standard Webhooks check, written from its spec here rather than calling the app's signer.</summary>
    private static bool SignatureIsValid(string secret, IReadOnlyDictionary<string, string> headers, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = $"{headers["webhook-id"]}.{headers["webhook-timestamp"]}.{body}";
        var expected = Convert.ToBase64String(new HMACSHA256(key).ComputeHash(Encoding.UTF8.GetBytes(signed)));
        return headers["webhook-signature"].Split(' ').Any(s => s == "v1," + expected);
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    [Fact]
    public async Task Feedback_events_are_delivered_signed_to_subscribed_endpoints()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var endpoint = await DataAsync(await client.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { "feedback.created", "feedback.updated" } })), HttpStatusCode.Created);
        var secret = endpoint.GetProperty("secret").GetString()!;

        var created = await DataAsync(await client.PostAsync("/v1/feedback", Json.Body(new { body = "hook me" })), HttpStatusCode.Created);
        await client.PatchAsync($"/v1/feedback/{created.GetProperty("id").GetString()}", Json.Body(new { status = "pending" }));
        var requests = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(20));

        Assert.StartsWith("whsec_", secret);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.True(SignatureIsValid(secret, r.Headers, r.Body), "signature does not verify"));
        var types = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()).Order().ToList();
        Assert.Equal(["feedback.created", "feedback.updated"], types);
        var payload = JsonDocument.Parse(requests[0].Body).RootElement;
        Assert.Equal(created.GetProperty("id").GetString(), payload.GetProperty("data").GetProperty("id").GetString());
        Assert.True(long.Parse(requests[0].Headers["webhook-timestamp"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal(JsonValueKind.Null, (await DataAsync(await client.GetAsync($"/v1/webhooks/{endpoint.GetProperty("id").GetString()}"), HttpStatusCode.OK)).GetProperty("secret").ValueKind);
    }

    [Fact]
    public async Task Receiver_failing_twice_gets_the_event_on_the_third_try_and_the_log_shows_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var endpoint = await DataAsync(await client.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { "*" } })), HttpStatusCode.Created);
        var endpointId = endpoint.GetProperty("id").GetString();

        await client.PostAsync("/v1/feedback", Json.Body(new { body = "retry me" }));
        var requests = await receiver.WaitForAsync(3, TimeSpan.FromSeconds(20));
        JsonElement delivery = default;
        for (var i = 0; i < 100; i++)
        {
            delivery = (await DataAsync(await client.GetAsync($"/v1/webhooks/{endpointId}/deliveries"), HttpStatusCode.OK))[0];
            if (delivery.GetProperty("status").GetString() == "succeeded")
            {
                break;
            }
            await Task.Delay(100);
        }

        Assert.Equal([500, 500, 200], requests.Select(r => r.Answered));
        Assert.Single(requests.Select(r => r.Headers["webhook-id"]).Distinct()); // retries keep the id, so receivers can drop duplicates
        Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 500, 200], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
    }

    [Fact]
    public async Task Delivery_failing_every_attempt_is_dead_lettered_and_can_be_replayed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 6);
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var endpointId = (await DataAsync(await client.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { "feedback.created" } })), HttpStatusCode.Created))
            .GetProperty("id").GetString();
        var options = app.Get<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value;

        await client.PostAsync("/v1/feedback", Json.Body(new { body = "never arrives" }));
        await receiver.WaitForAsync(options.MaxAttempts, TimeSpan.FromSeconds(60));
        JsonElement delivery = default;
        for (var i = 0; i < 100; i++)
        {
            delivery = (await DataAsync(await client.GetAsync($"/v1/webhooks/{endpointId}/deliveries"), HttpStatusCode.OK))[0];
            if (delivery.GetProperty("status").GetString() == "failed")
            {
                break;
            }
            await Task.Delay(100);
        }
        var replay = await DataAsync(await client.PostAsync($"/v1/webhooks/{endpointId}/deliveries/{delivery.GetProperty("id").GetString()}/replay", null), HttpStatusCode.Accepted);
        var afterReplay = await receiver.WaitForAsync(options.MaxAttempts + 1, TimeSpan.FromSeconds(20));

        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.Equal(options.MaxAttempts, delivery.GetProperty("attempts").GetArrayLength());
        Assert.Equal(delivery.GetProperty("id").GetString(), replay.GetProperty("replay_of").GetString());
        Assert.Equal(200, afterReplay[^1].Answered);
    }

    [Fact]
    public async Task Unknown_events_and_bad_urls_are_400()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/webhooks", Json.Body(new { url = "nope", events = new[] { "feedback.exploded" } }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "url", "events" }, error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task A_change_keeps_an_unnamed_description_and_null_or_empty_removes_it()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var id = (await DataAsync(await client.PostAsync("/v1/webhooks", Json.Body(new { url = "https://hooks.example/d", events = new[] { "*" }, description = "CRM sync" })), HttpStatusCode.Created))
            .GetProperty("id").GetString();

        var untouched = await DataAsync(await client.PatchAsync($"/v1/webhooks/{id}", Json.Body(new { enabled = false })), HttpStatusCode.OK);
        Assert.Equal("CRM sync", untouched.GetProperty("description").GetString());

        var cleared = await DataAsync(await client.PatchAsync($"/v1/webhooks/{id}", Json.Body(new { description = (string?)null })), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("description").ValueKind);
        Assert.False(cleared.GetProperty("enabled").GetBoolean());

        await DataAsync(await client.PatchAsync($"/v1/webhooks/{id}", Json.Body(new { description = "again" })), HttpStatusCode.OK);
        await DataAsync(await client.PatchAsync($"/v1/webhooks/{id}", Json.Body(new { description = "  " })), HttpStatusCode.OK);
        var read = await DataAsync(await client.GetAsync($"/v1/webhooks/{id}"), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("description").ValueKind);

        var refused = await client.PatchAsync($"/v1/webhooks/{id}", Json.Body(new { description = 7 }));
        Assert.Equal(["description"], (await refused.AssertErrorAsync(400, "validation_failed")).GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }
}
