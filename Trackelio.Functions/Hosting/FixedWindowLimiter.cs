using System.Collections.Concurrent;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Counts events per key in fixed one-minute windows, in memory (per instance). Old windows
/// are swept once there are many keys, so memory stays bounded.
/// </summary>
public sealed class FixedWindowLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>Counts one event for <paramref name="key"/> if it stays within <paramref name="limit"/> a minute.</summary>
    public (bool Allowed, int Remaining, TimeSpan Reset) Acquire(string key, int limit)
    {
        var now = time.GetUtcNow();
        var window = _windows.GetOrAdd(key, _ => new Window());
        lock (window)
        {
            if (now >= window.EndsAt)
            {
                window.EndsAt = now + TimeSpan.FromMinutes(1);
                window.Count = 0;
                if (_windows.Count > 100_000)
                {
                    Sweep(now);
                }
            }
            var allowed = window.Count < limit;
            if (allowed)
            {
                window.Count++;
            }
            return (allowed, Math.Max(0, limit - window.Count), window.EndsAt - now);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (window.EndsAt < now)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window
    {
        public DateTimeOffset EndsAt { get; set; }
        public int Count { get; set; }
    }
}
