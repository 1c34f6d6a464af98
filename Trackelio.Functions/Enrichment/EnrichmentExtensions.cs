using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment.UserAgents;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Enrichment;

public static class EnrichmentExtensions
{
    /// <summary>The queue-triggered functions that finish submissions, and the standalone pump that runs them without the host.</summary>
    public static IServiceCollection AddEnrichment(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => UserAgentParser.FromEmbeddedRules());
        services.AddMemoryCache();
        services.AddSingleton<WidgetLimitsCache>();
        services.AddQueueFunction<SubmissionEnricher>(SubmissionEnricher.FunctionName, StorageNames.Queues.Submissions);
        services.AddOptions<UploadRetentionOptions>()
            .Bind(configuration.GetSection("Trackelio:Uploads"))
            .Validate(o => o.UnattachedDays >= 1, "UnattachedDays must be at least 1.")
            .Validate(o => o.SweepInterval > TimeSpan.Zero, "SweepInterval must be positive.")
            .ValidateOnStart();
        services.AddSingleton<UnattachedUploadSweep>();
        services.AddHostedService<UnattachedUploadSweeper>();

        services.AddSingleton<QueueFunctionRunner>();
        services.AddOptions<QueuePumpOptions>()
            .Bind(configuration.GetSection("Trackelio:QueuePump"))
            .Configure(o => o.Enabled &= !QueueInvocationEndpoints.RunsUnderFunctionsHost(configuration))
            .Validate(o => o.BatchSize is >= 1 and <= 32, "BatchSize must be 1 to 32.")
            .Validate(o => o.MaxDequeueCount >= 1, "MaxDequeueCount must be at least 1.")
            .Validate(o => o.NewBatchThreshold >= 0, "NewBatchThreshold must not be negative.")
            .ValidateOnStart();
        services.AddHostedService<QueuePump>();
        return services;
    }

    /// <summary>Under the Functions host, the endpoints its queue-trigger invocations arrive at.</summary>
    public static IEndpointRouteBuilder MapEnrichment(this IEndpointRouteBuilder app)
    {
        if (QueueInvocationEndpoints.RunsUnderFunctionsHost(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            app.MapQueueInvocations();
        }
        return app;
    }
}
