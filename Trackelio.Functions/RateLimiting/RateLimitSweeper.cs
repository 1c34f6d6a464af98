using Microsoft.Extensions.Options;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.RateLimiting;

/// <summary>
/// Deletes the rows of windows that have ended, every <see cref="SharedRateLimiterOptions.SweepInterval"/>
/// (from a random start, so instances do not all sweep at once; two sweeping the same rows is harmless).
/// </summary>
public sealed class RateLimitSweeper(IRateLimitStore store, StorageInitializer storage, TimeProvider time, IOptions<SharedRateLimiterOptions> options,
    ILogger<RateLimitSweeper> logger) : BackgroundService
{
    private const int MaxPerSweep = 20_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SweepInterval;
        try
        {
            await storage.Ready.WaitAsync(stoppingToken);
            await Task.Delay(interval * Random.Shared.NextDouble(), time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepOnceAsync(stoppingToken);
                await Task.Delay(interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deletes every row of a window that ended more than a minute ago (a flush may still be landing in the last one).</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var before = SharedRateLimiter.WindowOf(time.GetUtcNow()) - SharedRateLimiter.Window;
            return await store.DeleteWindowsBeforeAsync(before, MaxPerSweep, cancellationToken);
        }
        catch (Azure.RequestFailedException ex)
        {
            logger.LogWarning(ex, "Could not sweep old rate-limit windows; the next sweep tries again.");
            return 0;
        }
    }
}
