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
    /// start-up creation of every table, container and queue. An account registered before (the
    /// cold-start warm-up's, <see cref="Hosting.ColdStartWarmUp.Register"/>) is kept.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton<StorageRequestCounter>();
        // AddAzureClients forwards the SDKs' own event logs to ILogger: a line per request at Information, and each
        // 4xx answer at Warning — but 404, 409 and 412 are how the stores read, claim and race. Errors only, unless
        // configuration asks for more (a more specific rule, e.g. Logging:LogLevel:Azure.Core).
        services.Configure<LoggerFilterOptions>(options => options.AddFilter("Azure", LogLevel.Error));
        services.AddAzureClients(clients =>
        {
            clients.AddClient<TableServiceClient, TableClientOptions>((_, sp) => StorageSettings.CreateTableServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Tables(sp.GetRequiredService<StorageRequestCounter>())));
            clients.AddClient<BlobServiceClient, BlobClientOptions>((_, sp) => StorageSettings.CreateBlobServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Blobs(sp.GetRequiredService<StorageRequestCounter>())));
            clients.AddClient<QueueServiceClient, QueueClientOptions>((_, sp) => StorageSettings.CreateQueueServiceClient(
                sp.GetRequiredService<IConfiguration>(), StorageClientOptions.Queues(sp.GetRequiredService<StorageRequestCounter>())));
        });
        services.TryAddSingleton(sp => new StorageAccount(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<BlobServiceClient>(),
            sp.GetRequiredService<QueueServiceClient>(), sp.GetRequiredService<StorageRequestCounter>()));
        services.AddSingleton(sp => new StorageInitializer(sp.GetRequiredService<StorageAccount>(), StartDelay(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<ILogger<StorageInitializer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }

    /// <summary>
    /// <c>Trackelio:Storage:StartDelay</c>; by default 10 s under the Functions host (where the deployment
    /// created everything and a cold start should not wait behind 26 create requests), none standalone.
    /// </summary>
    private static TimeSpan StartDelay(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("Trackelio:Storage:StartDelay")
            ?? (string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]) ? TimeSpan.Zero : TimeSpan.FromSeconds(10));
}
