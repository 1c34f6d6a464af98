namespace Trackelio.DevHost;

/// <summary>
/// host.json extensions.queues with the extension's defaults (QueuesOptions): what the queue
/// listener polls with and how it retries.
/// </summary>
internal sealed record QueueOptions(int BatchSize, int NewBatchThreshold, TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int MaxDequeueCount, bool Base64)
{
    /// <summary>QueuePollingIntervals.Minimum: the first back-off step when a queue is empty.</summary>
    public static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>QueueListener receives with this visibility timeout (and renews it while the function runs).</summary>
    public static readonly TimeSpan ReceiveVisibilityTimeout = TimeSpan.FromMinutes(10);

    public static QueueOptions From(HostConfiguration host)
    {
        var batchSize = host.GetInt("extensions:queues:batchSize") ?? 16;
        var encoding = host["extensions:queues:messageEncoding"] ?? "base64";
        return new QueueOptions(
            BatchSize: batchSize,
            // QueuesOptions.NewBatchThreshold: BatchSize / 2 × processor count unless set.
            NewBatchThreshold: host.GetInt("extensions:queues:newBatchThreshold") ?? batchSize / 2 * Environment.ProcessorCount,
            MaxPollingInterval: host.GetTimeSpan("extensions:queues:maxPollingInterval") ?? TimeSpan.FromMinutes(1),
            VisibilityTimeout: host.GetTimeSpan("extensions:queues:visibilityTimeout") ?? TimeSpan.Zero,
            MaxDequeueCount: host.GetInt("extensions:queues:maxDequeueCount") ?? 5,
            Base64: !encoding.Equals("none", StringComparison.OrdinalIgnoreCase));
    }
}
