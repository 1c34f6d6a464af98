namespace Trackelio.Functions.Workspaces;

/// <summary>
/// A management API key (<c>sk_live_…</c>). Only its hash is stored (as the row's key);
/// the secret itself is shown once, when it is made.
/// </summary>
public sealed record ApiKey
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string UserId { get; init; }
    public required string Name { get; init; }

    /// <summary>The first characters of the secret, to tell keys apart in a list.</summary>
    public required string Prefix { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>Set when the key was rotated: it keeps working until then.</summary>
    public DateTimeOffset? RetiresAt { get; init; }

    /// <summary>
    /// For a session key (the dashboard's sign-in): it expires after this long unused, instead of 12 months.
    /// Null for keys made through the API.
    /// </summary>
    public TimeSpan? IdleTimeout { get; init; }
}
