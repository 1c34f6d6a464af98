using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;

namespace Trackelio.Functions.Hosting;

public static class Telemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// The worker's traces, metrics and logs to Application Insights through OpenTelemetry (the
    /// worker's own instrumentation, with host.json <c>telemetryMode: OpenTelemetry</c> so the host
    /// and the worker report one trace per invocation). Off without a connection string: locally,
    /// in tests and under the dev host nothing is exported.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrEmpty(configuration[ConnectionStringSetting]))
        {
            return services;
        }
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .UseAzureMonitorExporter(options => options.ConnectionString = configuration[ConnectionStringSetting]);
        return services;
    }
}
