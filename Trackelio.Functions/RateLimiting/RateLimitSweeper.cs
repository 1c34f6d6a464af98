using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.RateLimiting;

/// <summary>
/// Deletes the rows of windows that have ended, every five minutes (a timer-triggered function:
/// the host runs one at a time across all instances).
/// </summary>
public sealed class RateLimitSweeper(IRateLimitStore store, TimeProvider time, ILogger<RateLimitSweeper> logger)
{
    public const string FunctionName = "SweepRateLimitWindows";
    private const int MaxPerSweep = 20_000;

    [Function(FunctionName)]
    public Task Run([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) => SweepOnceAsync(cancellationToken);

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
