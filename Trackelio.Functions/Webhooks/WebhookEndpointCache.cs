using Microsoft.Extensions.Caching.Memory;

namespace Trackelio.Functions.Webhooks;

/// <summary>
/// A workspace's webhook endpoints as publishing reads them: loaded once per workspace and
/// <see cref="Duration"/> per instance instead of once per event, and dropped at once on this
/// instance when the store changes an endpoint (like the widget directory). Another instance sees
/// a change within <see cref="Duration"/>: an endpoint added or re-enabled starts receiving
/// events at most that much later, one disabled or deleted stops as late (its deliveries then
/// fail or are skipped by the deliverer, which reads the endpoint itself).
/// </summary>
public sealed class WebhookEndpointCache(IMemoryCache cache)
{
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<WebhookEndpoint>> GetAsync(string workspaceId, Func<Task<IReadOnlyList<WebhookEndpoint>>> load)
    {
        var key = Key(workspaceId);
        if (cache.TryGetValue(key, out IReadOnlyList<WebhookEndpoint>? endpoints) && endpoints is not null)
        {
            return endpoints;
        }
        endpoints = await load();
        cache.Set(key, endpoints, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Duration, Size = 1 });
        return endpoints;
    }

    public void Invalidate(string workspaceId) => cache.Remove(Key(workspaceId));

    private static (string, string) Key(string workspaceId) => (nameof(WebhookEndpointCache), workspaceId);
}
