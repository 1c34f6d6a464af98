using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Webhooks;

/// <summary>A webhook endpoint as the API shows it; the secret only when it is made or rotated.</summary>
public sealed record WebhookView(string Id, string Url, string? Description, IReadOnlyList<string> Events, bool Enabled,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? Secret = null)
{
    public static WebhookView From(WebhookEndpoint e, bool withSecret = false) =>
        new(e.Id, e.Url, e.Description, e.Events, e.Enabled, e.CreatedAt, e.UpdatedAt, withSecret ? e.Secret : null);
}

/// <summary><c>/v1/webhooks</c>: endpoints (CRUD), their delivery log, replays and secret rotation. Admins only.</summary>
[ApiKeyAuth]
[Tags("Webhooks")]
[MinimumRole(TeamRole.Admin)]
public static class WebhooksApi
{

    [Function("ListWebhooks")]
    [EndpointSummary("List webhook endpoints")]
    public static async Task<ApiResponse<IReadOnlyList<WebhookView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/webhooks")] HttpRequest req, CurrentMember member, IWebhookStore store, CancellationToken cancellationToken)
    {
        var endpoints = new List<WebhookView>();
        await foreach (var endpoint in store.ListAsync(member.WorkspaceId, cancellationToken))
        {
            endpoints.Add(WebhookView.From(endpoint));
        }
        return ApiResults.List(endpoints);
    }

    [Function("CreateWebhook")]
    [EndpointSummary("Add a webhook endpoint (the secret is shown once)")]
    public static async Task<ApiCreated<WebhookView>> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/webhooks")] HttpRequest req, Body<WebhookRequest> request, CurrentMember member, IWebhookStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var input = request.Value;
        var now = time.GetUtcNow();
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(Ids.Webhook, now),
            WorkspaceId = member.WorkspaceId,
            Url = input.Url!,
            Description = input.Description,
            Events = input.Events!,
            Secret = WebhookSignature.NewSecret(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.AddAsync(endpoint, cancellationToken);
        return ApiResults.Created($"/v1/webhooks/{endpoint.Id}", WebhookView.From(endpoint, withSecret: true));
    }

    [Function("GetWebhook")]
    [EndpointSummary("Get a webhook endpoint")]
    public static async Task<Results<ApiResponse<WebhookView>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/webhooks/{id}")] HttpRequest req, string id, CurrentMember member, IWebhookStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, member, store, cancellationToken) is { } endpoint ? ApiResults.Ok(WebhookView.From(endpoint)) : NotFound();

    [Function("UpdateWebhook")]
    [EndpointSummary("Change url, events, description or enabled")]
    public static async Task<Results<ApiResponse<WebhookView>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/webhooks/{id}")] HttpRequest req, string id, Body<WebhookRequest> request, CurrentMember member, IWebhookStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is not { } endpoint)
        {
            return NotFound();
        }
        var input = request.Value;
        var changed = endpoint with
        {
            Url = input.Url ?? endpoint.Url,
            Events = input.Events ?? endpoint.Events,
            Description = input.ClearsDescription ? null : input.Description ?? endpoint.Description,
            Enabled = input.Enabled ?? endpoint.Enabled,
            UpdatedAt = time.GetUtcNow(),
        };
        await store.UpdateAsync(changed, cancellationToken);
        return ApiResults.Ok(WebhookView.From(changed));
    }

    [Function("DeleteWebhook")]
    [EndpointSummary("Remove a webhook endpoint")]
    public static async Task<Results<NoContent, ApiError>> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/webhooks/{id}")] HttpRequest req, string id, CurrentMember member, IWebhookStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is null)
        {
            return NotFound();
        }
        await store.DeleteAsync(member.WorkspaceId, id, cancellationToken);
        return TypedResults.NoContent();
    }

    [Function("RotateWebhookSecret")]
    [EndpointSummary("Replace the signing secret")]
    public static async Task<Results<ApiResponse<WebhookView>, ApiError>> RotateSecret([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/webhooks/{id}/rotate-secret")] HttpRequest req, string id, CurrentMember member, IWebhookStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is not { } endpoint)
        {
            return NotFound();
        }
        var rotated = endpoint with { Secret = WebhookSignature.NewSecret(), UpdatedAt = time.GetUtcNow() };
        await store.UpdateAsync(rotated, cancellationToken);
        return ApiResults.Ok(WebhookView.From(rotated, withSecret: true));
    }

    [Function("ListWebhookDeliveries")]
    [EndpointSummary("The delivery log, newest first")]
    public static async Task<Results<ApiResponse<IReadOnlyList<WebhookDelivery>>, ApiError>> Deliveries([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/webhooks/{id}/deliveries")] HttpRequest req, string id, Query<DeliveriesQuery> request, CurrentMember member, IWebhookStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, member, store, cancellationToken) is null
            ? NotFound()
            : ApiResults.Ok(await store.ListDeliveriesAsync(member.WorkspaceId, id, request.Value.Limit, cancellationToken));

    [Function("ReplayWebhookDelivery")]
    [EndpointSummary("Send a delivery again")]
    public static async Task<Results<ApiAccepted<WebhookDelivery>, ApiError>> Replay([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/webhooks/{id}/deliveries/{deliveryId}/replay")] HttpRequest req, string id, string deliveryId, CurrentMember member, IWebhookStore store, WebhookPublisher publisher, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is null || !Ids.IsValid(deliveryId, Ids.WebhookDelivery)
            || await store.GetDeliveryAsync(member.WorkspaceId, deliveryId, cancellationToken) is not { } original || original.Value.EndpointId != id)
        {
            return NotFound();
        }
        var now = time.GetUtcNow();
        var replay = original.Value with
        {
            Id = Ids.New(Ids.WebhookDelivery, now),
            Status = "pending",
            Attempts = [],
            NextAttemptAt = null,
            ReplayOf = deliveryId,
            CreatedAt = now,
        };
        await publisher.QueueAsync(replay, cancellationToken);
        return ApiResults.Accepted(replay);
    }

    private static async Task<WebhookEndpoint?> FindAsync(string id, CurrentMember member, IWebhookStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Webhook) ? await store.GetAsync(member.WorkspaceId, id, cancellationToken) : null;

    private static ApiError NotFound() => ApiError.NotFound("No webhook endpoint (or delivery) with that id.");
}
