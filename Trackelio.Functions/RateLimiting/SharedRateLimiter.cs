using System.Collections.Concurrent;
using Azure;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.RateLimiting;

/// <summary>
/// Fixed one-minute windows (aligned to the UTC minute, so every instance agrees when one ends),
/// counted per (scope, key) in storage that all instances share, with a small local allowance:
/// <list type="bullet">
/// <item>An instance admits up to k requests of a key that storage has not counted yet
/// (k = <see cref="SharedRateLimiterOptions.AllowanceFor"/>), and writes them in the background a
/// moment later, in one write — the request does not wait for storage.</item>
/// <item>Once k are uncounted, or the count as this instance last read it is within k of the
/// limit, a request waits for one optimistic (ETag) write that adds the uncounted ones and takes
/// one more only while the shared count stays under the limit.</item>
/// <item>A request is refused only when the shared count (as last read) plus this instance's
/// uncounted ones reach the limit: a 429 is always deserved, and its <c>Retry-After</c> (the end
/// of the window) is exact.</item>
/// </list>
/// Worst case, N instances serving one key admit at most limit + k × (N − 1) in a window: take
/// the instance whose last storage write in the window came last; that write saw every
/// admission the others had written, and after it that instance admits at most what the
/// limit leaves, while each other instance holds at most k not yet written.
/// If storage fails, the limiter fails open to the instance's own count (each instance enforces
/// the limit by itself, so at most limit × N) for <see cref="SharedRateLimiterOptions.OutageBackoff"/>
/// at a time: the request then meets the outage itself, or does not need storage.
/// </summary>
public sealed class SharedRateLimiter(IRateLimitStore store, TimeProvider time, IOptions<SharedRateLimiterOptions> options, ILogger<SharedRateLimiter> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Scope, string Key), Counter> _counters = new();
    private readonly SharedRateLimiterOptions _options = options.Value;
    private long _storageDownUntil;
    private long _sweptWindow;

    public static DateTimeOffset WindowOf(DateTimeOffset now) => new(now.UtcTicks - (now.UtcTicks % Window.Ticks), TimeSpan.Zero);

    /// <summary>Counts one request of <paramref name="key"/> in <paramref name="scope"/> if it stays within <paramref name="limit"/> a minute.</summary>
    public async ValueTask<RateLimitDecision> AcquireAsync(string scope, string key, int limit, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var window = WindowOf(now);
        var reset = window + Window - now;
        var allowance = _options.AllowanceFor(limit);
        var counter = CounterFor(scope, key, window);

        if (TryDecideHere(counter, limit, allowance, reset, now) is { } decided)
        {
            return decided;
        }

        await counter.Gate.WaitAsync(cancellationToken);
        try
        {
            // A write may have finished while we waited: decide again with what it learned.
            if (TryDecideHere(counter, limit, allowance, reset, now) is { } decidedNow)
            {
                return decidedNow;
            }
            int pending;
            StoredCount known;
            lock (counter)
            {
                (pending, known) = counter.Snapshot();
            }
            var (stored, took) = await WithDeadline(ct => store.AddAsync(scope, key, window, pending, limit, known, ct), cancellationToken);
            lock (counter)
            {
                counter.Written(pending, stored);
                return new RateLimitDecision(took, limit, took ? Math.Max(0, limit - counter.Known - counter.Pending) : 0, reset);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex, cancellationToken))
        {
            StorageFailed(ex);
            return TryDecideHere(counter, limit, allowance, reset, now, storageDown: true)!.Value;
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    /// <summary>Admits or refuses without storage when this instance's knowledge suffices; null when storage must be asked.</summary>
    private RateLimitDecision? TryDecideHere(Counter counter, int limit, int allowance, TimeSpan reset, DateTimeOffset now, bool storageDown = false)
    {
        lock (counter)
        {
            var used = counter.Known + counter.Pending;
            if (used >= limit)
            {
                return new RateLimitDecision(false, limit, 0, reset);
            }
            if (storageDown || now.UtcTicks < Interlocked.Read(ref _storageDownUntil) || (counter.Pending < allowance && limit - used > allowance))
            {
                counter.Pending++;
                ScheduleFlush(counter, urgent: counter.Pending * 2 >= allowance);
                return new RateLimitDecision(true, limit, limit - used - 1, reset);
            }
            return null;
        }
    }

    /// <summary>
    /// Writes the uncounted admissions a moment later, so that several share one write; at once
    /// when half the allowance is used, so that a busy key's write lands before its requests
    /// would have to wait for one. Called under the counter's lock.
    /// </summary>
    private void ScheduleFlush(Counter counter, bool urgent)
    {
        if (counter.FlushDue is { } due)
        {
            if (urgent)
            {
                due.TrySetResult();
            }
            return;
        }
        var flushDue = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        counter.FlushDue = flushDue;
        if (urgent)
        {
            flushDue.TrySetResult();
        }
        _ = FlushLaterAsync(counter, flushDue.Task);
    }

    private async Task FlushLaterAsync(Counter counter, Task due)
    {
        await Task.WhenAny(due, Task.Delay(_options.FlushDelay, time));
        await counter.Gate.WaitAsync();
        try
        {
            int pending;
            StoredCount known;
            lock (counter)
            {
                counter.FlushDue = null;
                (pending, known) = counter.Snapshot();
            }
            if (pending == 0 || time.GetUtcNow().UtcTicks < Interlocked.Read(ref _storageDownUntil))
            {
                return; // nothing to write, or storage is down: the next admission schedules another try
            }
            var (stored, _) = await WithDeadline(ct => store.AddAsync(counter.Scope, counter.Key, counter.Window, pending, null, known, ct), CancellationToken.None);
            lock (counter)
            {
                counter.Written(pending, stored);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex, CancellationToken.None))
        {
            StorageFailed(ex);
        }
        finally
        {
            counter.Gate.Release();
        }
    }

    private Counter CounterFor(string scope, string key, DateTimeOffset window)
    {
        if (window.UtcTicks > Interlocked.Read(ref _sweptWindow) && Interlocked.Exchange(ref _sweptWindow, window.UtcTicks) < window.UtcTicks)
        {
            // Once a minute: forget the windows that ended, so memory holds only the current one's keys.
            foreach (var (id, old) in _counters)
            {
                if (old.Window < window)
                {
                    _counters.TryRemove(new KeyValuePair<(string, string), Counter>(id, old));
                }
            }
        }
        return _counters.AddOrUpdate((scope, key),
            _ => new Counter(scope, key, window),
            (_, existing) => existing.Window == window ? existing : new Counter(scope, key, window));
    }

    private async Task<T> WithDeadline<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StorageDeadline);
        return await operation(deadline.Token);
    }

    private static bool IsStorageFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is RequestFailedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void StorageFailed(Exception ex)
    {
        var until = (time.GetUtcNow() + _options.OutageBackoff).UtcTicks;
        if (Interlocked.Exchange(ref _storageDownUntil, until) < time.GetUtcNow().UtcTicks)
        {
            logger.LogWarning(ex, "Rate-limit counts could not be shared through storage; each instance counts on its own for {Backoff}.", _options.OutageBackoff);
        }
    }

    /// <summary>One key's count in one window, as this instance knows it.</summary>
    private sealed class Counter(string scope, string key, DateTimeOffset window)
    {
        public string Scope { get; } = scope;
        public string Key { get; } = key;
        public DateTimeOffset Window { get; } = window;

        /// <summary>One storage write at a time per key on this instance.</summary>
        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>The shared count as last read or written (includes this instance's written admissions).</summary>
        public int Known => Stored.Count;

        public StoredCount Stored { get; private set; }

        /// <summary>Admitted here, not yet written.</summary>
        public int Pending { get; set; }

        /// <summary>Set while a background write is scheduled; completing it makes the write start now.</summary>
        public TaskCompletionSource? FlushDue { get; set; }

        /// <summary>Called under the counter's lock.</summary>
        public (int Pending, StoredCount Known) Snapshot() => (Pending, Stored);

        public void Written(int flushed, StoredCount stored)
        {
            Pending -= flushed;
            Stored = stored;
        }
    }
}
