using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Auth;

public sealed class ApiKeyOptions
{
    /// <summary>
    /// How long an instance trusts what it read about a key: a revocation made on another
    /// instance takes effect within it (at most a minute; a point read per key and period is cheap).
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keys unused this long stop working.</summary>
    public TimeSpan ExpiresUnusedAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How many unknown keys an instance remembers (oldest evicted first), so a flood of made-up keys costs bounded memory.</summary>
    public int UnknownKeysRemembered { get; set; } = 10_000;

    /// <summary>How often a key's <c>last_used_at</c> is written (not on every request).</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Why a key did not authenticate.</summary>
public enum KeyRejection
{
    Unknown,
    Revoked,
    Expired,
}

/// <summary>
/// Resolves a management secret key (<c>sk_live_…</c>) to its key record and team member,
/// caching both (positive and negative) for <see cref="ApiKeyOptions.CacheDuration"/>. A key
/// revoked on this instance stops at once (<see cref="Invalidate"/>); elsewhere within the
/// cache duration. Unknown keys live in a size-bounded <see cref="NegativeCache"/>; the positive
/// entries are bounded by the keys that exist.
/// </summary>
public sealed class ApiKeyDirectory(IApiKeyStore keys, ITeamStore team, TimeProvider time, IOptions<ApiKeyOptions> options, ILogger<ApiKeyDirectory> logger)
{
    public const string Prefix = "sk_live_";
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ApiKeyOptions _options = options.Value;
    private readonly NegativeCache _unknown = new(options.Value.UnknownKeysRemembered, options.Value.CacheDuration, time);

    /// <summary>How many unknown keys are remembered now (at most <see cref="ApiKeyOptions.UnknownKeysRemembered"/>).</summary>
    public int UnknownKeysCached => _unknown.Count;

    public async Task<(AuthenticatedKey? Key, KeyRejection Rejection)> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 128)
        {
            return (null, KeyRejection.Unknown);
        }
        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow();
        if (_unknown.Contains(hash))
        {
            return (null, KeyRejection.Unknown);
        }
        if (!_entries.TryGetValue(hash, out var entry) || entry.ExpiresAt <= now)
        {
            if (await LoadAsync(hash, cancellationToken) is not { } loaded)
            {
                _entries.TryRemove(hash, out _);
                _unknown.Add(hash);
                return (null, KeyRejection.Unknown);
            }
            entry = new Entry(loaded, now + _options.CacheDuration);
            _entries[hash] = entry;
        }

        var key = entry.Key;
        if (key.ApiKey.RevokedAt is { } revoked && revoked <= now || key.ApiKey.RetiresAt is { } retires && retires <= now)
        {
            return (null, KeyRejection.Revoked);
        }
        if ((key.ApiKey.LastUsedAt ?? key.ApiKey.CreatedAt) + (key.ApiKey.IdleTimeout ?? _options.ExpiresUnusedAfter) <= now)
        {
            return (null, KeyRejection.Expired);
        }

        // A session's last use is kept to within a 24th of its idle timeout (30 min of 12 h), other keys' to the hour.
        var resolution = key.ApiKey.IdleTimeout is { } idle && idle / 24 < _options.LastUsedResolution ? idle / 24 : _options.LastUsedResolution;
        if (key.ApiKey.LastUsedAt is null || now - key.ApiKey.LastUsedAt > resolution)
        {
            var used = key with { ApiKey = key.ApiKey with { LastUsedAt = now }, Member = key.Member with { LastActiveAt = now } };
            _entries[hash] = entry with { Key = used };
            _ = RecordUseAsync(used); // bookkeeping must not slow or fail the request
        }
        return (key, KeyRejection.Unknown);
    }

    /// <summary>Forgets what this instance knows of the key (after it was revoked, rotated or its member changed).</summary>
    public void Invalidate(string secretHash)
    {
        _entries.TryRemove(secretHash, out _);
        _unknown.Remove(secretHash);
    }

    /// <summary>Forgets every cached key of a member (after the member's role changed or they were removed).</summary>
    public void InvalidateMember(string workspaceId, string userId)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Key.ApiKey.WorkspaceId == workspaceId && entry.Key.Member.Id == userId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    private async Task<AuthenticatedKey?> LoadAsync(string hash, CancellationToken cancellationToken)
    {
        var key = await keys.FindBySecretHashAsync(hash, cancellationToken);
        if (key is null)
        {
            return null;
        }
        var member = await team.GetAsync(key.WorkspaceId, key.UserId, cancellationToken);
        return member is null ? null : new AuthenticatedKey(key, member);
    }

    private async Task RecordUseAsync(AuthenticatedKey used)
    {
        try
        {
            // Never write the cached copy back: a revocation or removal made meanwhile must stand.
            var at = used.ApiKey.LastUsedAt ?? time.GetUtcNow();
            await keys.TouchAsync(used.ApiKey.WorkspaceId, used.ApiKey.Id, at);
            await team.TouchAsync(used.Member.WorkspaceId, used.Member.Id, at);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the use of key {KeyId}", used.ApiKey.Id);
        }
    }

    private sealed record Entry(AuthenticatedKey Key, DateTimeOffset ExpiresAt);
}
