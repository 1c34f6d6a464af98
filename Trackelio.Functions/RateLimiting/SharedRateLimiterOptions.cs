namespace Trackelio.Functions.RateLimiting;

/// <summary>How the storage-shared limiter trades storage round trips against overshoot (<c>Trackelio:RateLimiting</c>).</summary>
public sealed class SharedRateLimiterOptions
{
    /// <summary>
    /// The local allowance k, as a share of the limit: how many requests of one key an instance
    /// may admit before storage has counted them. 2 % of the limit (rounded down), at most
    /// <see cref="MaxLocalAllowance"/>: 1 for 60 reads a minute, 0 for 20 writes — 0 makes every
    /// admission an atomic storage write (exact, one round trip each).
    /// </summary>
    public int LocalAllowancePercent { get; set; } = 2;

    public int MaxLocalAllowance { get; set; } = 10;

    /// <summary>How long admitted requests wait to be written, so that several share one write.</summary>
    public TimeSpan FlushDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A limiter write slower than this counts as storage being unavailable.</summary>
    public TimeSpan StorageDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After storage failed, how long each instance counts on its own before asking storage again.</summary>
    public TimeSpan OutageBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an instance deletes the rows of windows that have ended.</summary>

    public int AllowanceFor(int limit) => Math.Min(MaxLocalAllowance, limit * LocalAllowancePercent / 100);
}
