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
            .UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration[ConnectionStringSetting];
                // Application Insights with local authentication off takes only Entra tokens: the managed
                // identity that APPLICATIONINSIGHTS_AUTHENTICATION_STRING names (ClientId=…;Authorization=AAD).
                if (ManagedIdentityClientId(configuration[AuthenticationStringSetting]) is { } clientId)
                {
                    options.Credential = new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId));
                }
            });
        return services;
    }

    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The client id in <c>ClientId=…;Authorization=AAD</c>, or null when the string asks for no identity.</summary>
    internal static string? ManagedIdentityClientId(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && string.Equals(kind, "AAD", StringComparison.OrdinalIgnoreCase)
            && parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0 ? clientId : null;
    }
}
