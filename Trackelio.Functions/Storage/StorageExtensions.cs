using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Trackelio.Functions.Storage;

public static class StorageExtensions
{
    /// <summary>
    /// Registers the storage account named by <c>AzureWebJobsStorage</c> and the start-up creation of its resources.
    /// An account registered before (the cold-start warm-up's, <see cref="Hosting.ColdStartWarmUp.Register"/>) is kept.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => StorageConnection.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(sp => new StorageAccount(sp.GetRequiredService<StorageConnection>()));
        services.AddSingleton(sp => new StorageInitializer(sp.GetRequiredService<StorageAccount>(), StartDelay(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<ILogger<StorageInitializer>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        return services;
    }

    /// <summary>
    /// <c>Trackelio:Storage:StartDelay</c>; by default 10 s under the Functions host (where the deployment
    /// created everything and a cold start should not wait behind 23 create requests), none standalone.
    /// </summary>
    private static TimeSpan StartDelay(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>("Trackelio:Storage:StartDelay")
            ?? (string.IsNullOrEmpty(configuration["FUNCTIONS_CUSTOMHANDLER_PORT"]) ? TimeSpan.Zero : TimeSpan.FromSeconds(10));
}
