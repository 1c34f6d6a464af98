using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment.UserAgents;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Enrichment;

public static class EnrichmentExtensions
{
    /// <summary>The queue-triggered function that finishes submissions (<see cref="EnrichSubmissionFunction"/>) and the sweep of unattached uploads.</summary>
    public static IServiceCollection AddEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => UserAgentParser.FromEmbeddedRules());
        services.AddMemoryCache();
        services.AddSingleton<WidgetLimitsCache>();
        services.AddQueueFunction<SubmissionEnricher>(SubmissionEnricher.FunctionName, StorageNames.Queues.Submissions);
        services.AddOptions<UploadRetentionOptions>()
            .Bind(configuration.GetSection("Trackelio:Uploads"))
            .Validate(o => o.UnattachedDays >= 1, "UnattachedDays must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<UnattachedUploadSweep>();

        services.AddSingleton<QueueFunctionRunner>();
        return services;
    }
}
