using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>How long a resolved project key (and its widget) is served from memory.</summary>
public sealed class WidgetDirectoryOptions
{
    /// <summary>
    /// Kept short so that a widget change, a revoked key or a key rotated out reaches every
    /// instance within it; with the config's <c>max-age</c> this stays under the 15 s the
    /// contract promises.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Above this many cached keys, expired entries are swept on the next load.</summary>
    public int SweepAbove { get; set; } = 10_000;

    /// <summary>How many unknown project keys an instance remembers (oldest evicted first): a flood of made-up keys costs bounded memory.</summary>
    public int UnknownKeysRemembered { get; set; } = 10_000;
}

/// <summary>
/// Resolves a project key to its widget, with the widget's public configuration already
/// serialized: the widget API's hot path costs no storage call while the entry is fresh.
/// Unknown keys are cached too (negative entries, in a size-bounded <see cref="NegativeCache"/>),
/// so a flood of bad keys does not reach storage more than once per key and period while it
/// fits, and never costs unbounded memory. Concurrent misses for one key share one load.
/// </summary>
public sealed class WidgetDirectory(IProjectKeyStore keys, IWidgetStore widgets, TimeProvider time, IOptions<WidgetDirectoryOptions> options,
    IOptions<StorageDeadlineOptions>? deadlines = null)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly WidgetDirectoryOptions _options = options.Value;
    private readonly NegativeCache _unknown = new(options.Value.UnknownKeysRemembered, options.Value.CacheDuration, time);
    private readonly TimeSpan _deadline = deadlines?.Value.RequestDeadline ?? new StorageDeadlineOptions().RequestDeadline;

    /// <summary>How many unknown keys are remembered now (at most <see cref="WidgetDirectoryOptions.UnknownKeysRemembered"/>).</summary>
    public int UnknownKeysCached => _unknown.Count;

    /// <summary>How many keys (known, or loading) are cached now.</summary>
    public int KeysCached => _entries.Count;

    public async ValueTask<ResolvedWidget?> ResolveAsync(string projectKey, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_unknown.Contains(projectKey))
        {
            return null;
        }
        if (_entries.TryGetValue(projectKey, out var cached) && cached.ExpiresAt > now)
        {
            // The load is shared: a caller stops waiting at its own deadline, the load goes on.
            var load = cached.Load.Value;
            return load.IsCompletedSuccessfully ? load.Result : await WaitAsync(projectKey, cached, cancellationToken).ConfigureAwait(false);
        }

        var entry = new Entry(new Lazy<Task<ResolvedWidget?>>(() => LoadAsync(projectKey, now)), now + _options.CacheDuration);
        var winner = cached is null
            ? _entries.GetOrAdd(projectKey, entry)
            : _entries.TryUpdate(projectKey, entry, cached) ? entry : _entries.GetValueOrDefault(projectKey, entry);
        try
        {
            var resolved = await WaitAsync(projectKey, winner, cancellationToken).ConfigureAwait(false);
            if (resolved is null)
            {
                // Unknown keys live in the bounded negative cache, not here.
                _unknown.Add(projectKey);
                _entries.TryRemove(new KeyValuePair<string, Entry>(projectKey, winner));
                return null;
            }
            if (resolved.ExpiresAt is { } expires && expires < winner.ExpiresAt)
            {
                // A pause ends or a rotated key retires before the entry would: expire with it.
                _entries.TryUpdate(projectKey, winner with { ExpiresAt = expires }, winner);
            }
            return resolved;
        }
        catch when (winner.Load.Value.IsFaulted || winner.Load.Value.IsCanceled)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(projectKey, winner)); // a failed load is not remembered
            throw;
        }
        finally
        {
            if (_entries.Count > _options.SweepAbove)
            {
                Sweep(now);
            }
        }
    }

    /// <summary>
    /// Waits for a load at most the request's storage deadline: the widget endpoints that only
    /// resolve their key (<see cref="OwnStorageDeadlineAttribute"/>: the config) get no per-request
    /// deadline timer, so this bounds their one storage wait instead; the answer is the same 503.
    /// A load that outlives the deadline is forgotten, so the next request (once storage answers
    /// again) starts a new one instead of waiting on the stuck one.
    /// </summary>
    private async Task<ResolvedWidget?> WaitAsync(string projectKey, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Load.Value.WaitAsync(_deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(projectKey, entry));
            throw new StorageDeadlineExceededException(_deadline, ex);
        }
    }

    /// <summary>Forgets what this instance knows of the key, so the next request reads storage (used after a change made here).</summary>
    public void Invalidate(string projectKey)
    {
        _entries.TryRemove(projectKey, out _);
        _unknown.Remove(projectKey);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            }
        }
    }

    private async Task<ResolvedWidget?> LoadAsync(string projectKey, DateTimeOffset now)
    {
        var key = await keys.FindAsync(projectKey).ConfigureAwait(false);
        if (key is null || !key.IsValidAt(now))
        {
            return null;
        }
        var stored = await widgets.GetAsync(key.WorkspaceId, key.WidgetId).ConfigureAwait(false);
        return stored is null ? null : ResolvedWidget.Create(stored.Value, key, now);
    }

    private sealed record Entry(Lazy<Task<ResolvedWidget?>> Load, DateTimeOffset ExpiresAt);
}

/// <summary>A widget as the widget API serves it, with its public config serialized once.</summary>
public sealed class ResolvedWidget
{
    private ResolvedWidget(SiteWidget widget, bool live, byte[] configJson, string etag, DateTimeOffset? expiresAt)
    {
        Widget = widget;
        Live = live;
        ConfigJson = configJson;
        ConfigETag = etag;
        ExpiresAt = expiresAt;
    }

    public SiteWidget Widget { get; }

    /// <summary>Active and not paused, as of when it was loaded.</summary>
    public bool Live { get; }

    /// <summary>The <c>data</c> of <c>GET /v1/widget/config</c>, as UTF-8 JSON.</summary>
    public byte[] ConfigJson { get; }

    /// <summary>The 200 answer of <c>GET /v1/widget/config</c>, made once per resolution.</summary>
    public IResult ConfigResult => _configResult ??= new Api.PreSerializedData(ConfigJson);

    private IResult? _configResult;

    /// <summary>A strong ETag over <see cref="ConfigJson"/>.</summary>
    public string ConfigETag { get; }

    /// <summary>When this resolution stops being true by itself (a pause ends, the key retires).</summary>
    public DateTimeOffset? ExpiresAt { get; }

    public static ResolvedWidget Create(SiteWidget widget, ProjectKey key, DateTimeOffset now)
    {
        var paused = widget.IsPausedAt(now);
        var view = PublicWidgetConfig.From(widget, now);
        var json = JsonSerializer.SerializeToUtf8Bytes(view, WorkspaceJson.Options);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(json).AsSpan(0, 16)) + "\"";
        DateTimeOffset? expires = (paused ? widget.Pause?.ResumeAt : null) switch
        {
            { } resume when key.RetiresAt is { } retire => resume < retire ? resume : retire,
            { } resume => resume,
            _ => key.RetiresAt,
        };
        return new ResolvedWidget(widget, widget.IsLiveAt(now), json, etag, expires);
    }
}
