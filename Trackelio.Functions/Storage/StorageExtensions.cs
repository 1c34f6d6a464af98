using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trackelio.Functions.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the Azure SDK clients for the storage named by <c>AzureWebJobsStorage</c> (with
    /// <c>AddAzureClients</c>), the <see cref="StorageAccount"/> that hands them to the stores, and the
    /// start-up creation of every table, container and queue. An account registered before (a
    /// test's, a command's) is kept.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<StorageRequestCounter>();
        services.TryAddSingleton<LinkSigningKey>();
        // The one credential of identity-based settings, shared by the three clients (made only when needed).
        services.TryAddSingleton(sp => new Lazy<TokenCredential>(() => StorageSettings.Credential(sp.GetRequiredService<IConfiguration>())));
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((_, sp) => StorageSettings.CreateTableServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Tables(sp.GetRequiredService<StorageRequestCounter>()), Credential(sp)));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((_, sp) => StorageSettings.CreateBlobServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Blobs(sp.GetRequiredService<StorageRequestCounter>()), Credential(sp)));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((_, sp) => StorageSettings.CreateQueueServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Queues(sp.GetRequiredService<StorageRequestCounter>()), Credential(sp)));
        });
        services.TryAddSingleton(sp => new StorageAccount(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.AddSingleton(sp => new StorageInitializer(sp.GetRequiredService<StorageAccount>(), StartDelay(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<ILogger<StorageInitializer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }

    private static Func<TokenCredential> Credential(IServiceProvider services) => () => services.GetRequiredService<Lazy<TokenCredential>>().Value;

    /// <summary>
    /// <c>Trackelio:Storage:StartDelay</c>, by default 10 s: the deployment (or, locally, the
    /// <c>bootstrap</c> command) created everything, and a cold start should not wait behind 26
    /// create requests.
    /// </summary>
    private static TimeSpan StartDelay(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("Trackelio:Storage:StartDelay") ?? TimeSpan.FromSeconds(10);
}
