namespace Trackelio.Functions.Storage;

/// <summary>
/// Creates every table, container and queue the app needs, idempotently, at start-up.
/// Storage that is not reachable yet does not stop the worker from starting (the Functions host
/// waits 60 s for it to connect and 30 s on Flex for initialization): creation is retried in the
/// background, and requests meanwhile answer 503. The deployment (<c>infra/</c>) has created them
/// all, so this is a safety net that starts <see cref="StartDelay"/> after start-up instead of
/// competing with a cold instance's first requests for CPU and storage.
/// </summary>
public sealed class StorageInitializer(StorageAccount account, TimeSpan startDelay, ILogger<StorageInitializer> logger) : BackgroundService
{
    /// <summary>How long after start-up creation begins (<c>Trackelio:Storage:StartDelay</c>).</summary>
    public TimeSpan StartDelay => startDelay;

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once everything exists.</summary>
    public Task Ready => _ready.Task;

    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var tables = StorageNames.Tables.All.Select(Task (name) => account.GetTableClient(name).CreateIfNotExistsAsync(cancellationToken));
        var containers = StorageNames.Containers.All.Select(Task (name) => account.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        var queues = StorageNames.Queues.All.Select(Task (name) => account.GetQueueClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        await Task.WhenAll(tables.Concat(containers).Concat(queues));
        _ready.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (startDelay > TimeSpan.Zero)
        {
            await Task.Delay(startDelay, stoppingToken);
        }
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await EnsureCreatedAsync(stoppingToken);
                logger.LogInformation("Storage is ready at {TableEndpoint}", account.Tables.Uri);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Storage is not reachable yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
