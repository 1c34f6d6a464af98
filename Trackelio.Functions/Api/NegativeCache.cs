using System.Collections.Concurrent;

namespace Trackelio.Functions.Api;

/// <summary>
/// Remembers, for a while, keys that were looked up and not found, so a flood of unknown keys
/// does not reach storage once per request. It holds at most <see cref="Capacity"/> keys: past
/// that the oldest are evicted first (a flood of distinct keys then costs storage reads again,
/// which the per-key and per-client rate limits bound, never unbounded memory). Expired entries
/// are dropped when met and when evicted.
/// </summary>
public sealed class NegativeCache(int capacity, TimeSpan duration, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, long Stamp)> _order = new();
    private long _stamp;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _entries.Count;

    /// <summary>Whether the key is known to be absent (and the entry still fresh).</summary>
    public bool Contains(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            return false;
        }
        if (entry.ExpiresAt > time.GetUtcNow())
        {
            return true;
        }
        _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return false;
    }

    public void Add(string key)
    {
        var entry = new Entry(time.GetUtcNow() + duration, Interlocked.Increment(ref _stamp));
        _entries[key] = entry;
        _order.Enqueue((key, entry.Stamp));
        // Every entry has exactly one live place in the queue (its newest stamp); older places are skipped.
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            if (_entries.TryGetValue(oldest.Key, out var current) && current.Stamp == oldest.Stamp)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(oldest.Key, current));
            }
        }
    }

    public void Remove(string key) => _entries.TryRemove(key, out _);

    private sealed record Entry(DateTimeOffset ExpiresAt, long Stamp);
}
