namespace Trackelio.Functions.Storage;

public static class StorageExtensions
{
    /// <summary>Registers the storage account named by <c>AzureWebJobsStorage</c> and the start-up creation of its resources.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => StorageConnection.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new StorageAccount(sp.GetRequiredService<StorageConnection>()));
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }
}
