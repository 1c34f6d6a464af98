using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Webhooks;

public interface IWebhookStore
{
    Task AddAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);
    Task<WebhookEndpoint?> GetAsync(string workspaceId, string endpointId, CancellationToken cancellationToken = default);
    IAsyncEnumerable<WebhookEndpoint> ListAsync(string workspaceId, CancellationToken cancellationToken = default);
    Task UpdateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default);
    Task DeleteAsync(string workspaceId, string endpointId, CancellationToken cancellationToken = default);

    Task AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);
    Task<Stored<WebhookDelivery>?> GetDeliveryAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default);
    Task UpdateDeliveryAsync(WebhookDelivery delivery, ETag ifMatch, CancellationToken cancellationToken = default);

    /// <summary>An endpoint's deliveries, newest first.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string workspaceId, string endpointId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>
/// Endpoints in table <c>webhooks</c> (partition = workspace, row = endpoint id) and deliveries in
/// table <c>webhookdeliveries</c> (partition = workspace, row = <c>{endpoint}|{mirrored delivery id}</c>,
/// so an endpoint's log reads newest first, plus row = delivery id for direct lookups).
/// </summary>
public sealed class TableWebhookStore(StorageAccount account, WebhookEndpointCache cache) : IWebhookStore
{
    private readonly DocumentTable<WebhookEndpoint> _endpoints = new(account.GetTableClient(StorageNames.Tables.Webhooks), TrackelioJson.Options);
    private readonly DocumentTable<WebhookDelivery> _deliveries = new(account.GetTableClient(StorageNames.Tables.WebhookDeliveries), TrackelioJson.Options);

    public async Task AddAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        await _endpoints.InsertAsync(endpoint.WorkspaceId, endpoint.Id, endpoint, cancellationToken: cancellationToken);
        cache.Invalidate(endpoint.WorkspaceId);
    }

    public async Task<WebhookEndpoint?> GetAsync(string workspaceId, string endpointId, CancellationToken cancellationToken = default) =>
        (await _endpoints.GetAsync(workspaceId, endpointId, cancellationToken))?.Value;

    public async IAsyncEnumerable<WebhookEndpoint> ListAsync(string workspaceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var stored in _endpoints.QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"), cancellationToken))
        {
            yield return stored.Value;
        }
    }

    public async Task UpdateAsync(WebhookEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        await _endpoints.UpsertAsync(endpoint.WorkspaceId, endpoint.Id, endpoint, cancellationToken: cancellationToken);
        cache.Invalidate(endpoint.WorkspaceId);
    }

    public async Task DeleteAsync(string workspaceId, string endpointId, CancellationToken cancellationToken = default)
    {
        await _endpoints.DeleteAsync(workspaceId, endpointId, cancellationToken);
        cache.Invalidate(workspaceId);
    }

    public Task AddDeliveryAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) =>
        _deliveries.Table.SubmitTransactionExactlyAsync([
            new(TableTransactionActionType.Add, _deliveries.ToEntity(delivery.WorkspaceId, delivery.Id, delivery)),
            new(TableTransactionActionType.Add, _deliveries.ToEntity(delivery.WorkspaceId, LogKey(delivery), delivery)),
        ], cancellationToken);

    public Task<Stored<WebhookDelivery>?> GetDeliveryAsync(string workspaceId, string deliveryId, CancellationToken cancellationToken = default) =>
        _deliveries.GetAsync(workspaceId, deliveryId, cancellationToken);

    public Task UpdateDeliveryAsync(WebhookDelivery delivery, ETag ifMatch, CancellationToken cancellationToken = default) =>
        _deliveries.Table.SubmitTransactionExactlyAsync([
            new(TableTransactionActionType.UpdateReplace, _deliveries.ToEntity(delivery.WorkspaceId, delivery.Id, delivery), ifMatch),
            new(TableTransactionActionType.UpsertReplace, _deliveries.ToEntity(delivery.WorkspaceId, LogKey(delivery), delivery)),
        ], cancellationToken);

    public async Task<IReadOnlyList<WebhookDelivery>> ListDeliveriesAsync(string workspaceId, string endpointId, int limit, CancellationToken cancellationToken = default)
    {
        var page = await _deliveries.Table.QueryOnePageAsync(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey gt {endpointId + "|"} and RowKey lt {endpointId + "}"}"), limit, cancellationToken: cancellationToken);
        return page.Values.Select(_deliveries.Read).ToList();
    }

    private static string LogKey(WebhookDelivery delivery) => delivery.EndpointId + "|" + Ids.Invert(delivery.Id);
}
