using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Webhooks;

/// <summary>
/// Domain events and their delivery to the workspaces' webhook endpoints. Domain modules
/// publish here (<see cref="IWebhookPublisher"/>); the management API's <c>/v1/webhooks</c>
/// manages endpoints on top of it. Nothing here knows HTTP surfaces.
/// </summary>
public static class WebhooksModule
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Trackelio:Webhooks"));
        services.AddSingleton<WebhookTargetGuard>();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<IMachineAddresses, MachineAddresses>();
        services.AddSingleton<WebhookEndpointCache>();
        services.AddSingleton<IWebhookStore, TableWebhookStore>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<IWebhookPublisher>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddHttpClient(WebhookDeliverer.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookTargetGuard>().ConnectAsync,
                AllowAutoRedirect = false, // a redirect could lead to an internal address
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddQueueFunction<WebhookDeliverer>(WebhookDeliverer.FunctionName, StorageNames.Queues.Webhooks);
        services.AddSingleton<EventOutbox>();
        services.AddQueueFunction<OutboxFlusher>(OutboxFlusher.FunctionName, StorageNames.Queues.WebhookOutbox);
        return services;
    }
}
