namespace Trackelio.DevHost;

/// <summary>What the dev host runs: one isolated-worker app, its app settings, and where its logs go.</summary>
public sealed class DevHostOptions
{
    /// <summary>The worker's build or publish output: it has worker.config.json, functions.metadata and host.json.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>The HTTP front door's port; 0 takes a free loopback port.</summary>
    public int HttpPort { get; init; }

    /// <summary>
    /// App settings. The worker gets them as environment variables (as on the platform);
    /// the host reads AzureWebJobsStorage and binding connections from them, and
    /// AzureFunctionsJobHost__* overrides host.json as in the real host.
    /// </summary>
    public IDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Host and worker logs (RpcLog, worker stdout/stderr).</summary>
    public Action<string>? Log { get; init; }
}
