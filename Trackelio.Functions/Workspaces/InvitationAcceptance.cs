using Azure;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

public sealed class InvitationOptions
{
    /// <summary>How long an invitation can be accepted after it was made.</summary>
    public TimeSpan ValidFor { get; set; } = TimeSpan.FromDays(7);
}

public enum InvitationOutcome
{
    Accepted,
    Invalid,
    Expired,
    AlreadyAccepted,
}

/// <summary>An accepted invitation: the member, now active, and their first key (the secret exists only here).</summary>
public sealed record AcceptedInvitation(TeamMember Member, ApiKey Key, string Secret);

/// <summary>
/// Turns an invitation token into an active member with a first management key. The token is
/// the credential: it must match the member's stored hash (compared in constant time), the
/// member must still be pending, and the invitation younger than <see cref="InvitationOptions.ValidFor"/>.
/// Single use is atomic: the member is flipped to active with a conditional replace on the ETag
/// it was read with, so of two racing acceptances exactly one wins (a member changed otherwise meanwhile,
/// e.g. its invitation mail recorded as sent, is read again and checked again). The key is written first
/// (nobody knows its secret yet) and revoked again when the flip loses, so a lost race leaves
/// no usable key and a storage failure leaves the invitation acceptable.
/// </summary>
public sealed class InvitationAcceptance(StorageAccount account, IApiKeyStore keys, TimeProvider time, IOptions<InvitationOptions> options)
{
    private readonly DocumentTable<TeamMember> _members = new(account.GetTableClient(StorageNames.Tables.Members), TrackelioJson.Options);

    /// <summary>When an invitation made (or last resent) at <paramref name="issuedAt"/> stops working.</summary>
    public DateTimeOffset ExpiresAt(DateTimeOffset issuedAt) => issuedAt + options.Value.ValidFor;

    /// <summary>What accepting <paramref name="token"/> now would find — the invited member when it would work — changing nothing.</summary>
    public async Task<(InvitationOutcome Outcome, TeamMember? Invited)> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var (outcome, stored) = await ReadAsync(token, cancellationToken);
        return (outcome, outcome == InvitationOutcome.Accepted ? stored!.Value : null);
    }

    private async Task<(InvitationOutcome Outcome, Stored<TeamMember>? Stored)> ReadAsync(string token, CancellationToken cancellationToken)
    {
        if (InvitationToken.Parse(token) is not var (workspaceId, userId)
            || await _members.GetAsync(workspaceId, userId, cancellationToken) is not { } stored
            || stored.Value.InvitationTokenHash is not { } hash
            || !Secrets.FixedTimeEquals(Secrets.Hash(token), hash))
        {
            return (InvitationOutcome.Invalid, null);
        }
        if (stored.Value.Status != "pending")
        {
            return (InvitationOutcome.AlreadyAccepted, null);
        }
        if (ExpiresAt(stored.Value.InvitationIssuedAt) <= time.GetUtcNow())
        {
            return (InvitationOutcome.Expired, null);
        }
        return (InvitationOutcome.Accepted, stored);
    }

    public async Task<(InvitationOutcome Outcome, AcceptedInvitation? Accepted)> AcceptAsync(string token, string keyName, CancellationToken cancellationToken)
    {
        var (outcome, found) = await ReadAsync(token, cancellationToken);
        if (found is not { } stored)
        {
            return (outcome, null);
        }
        var (workspaceId, userId) = InvitationToken.Parse(token)!.Value;
        var invited = stored.Value;
        var now = time.GetUtcNow();

        var secret = Secrets.New("sk_live_");
        var key = new ApiKey
        {
            Id = Ids.New(Ids.ApiKey, now),
            WorkspaceId = workspaceId,
            UserId = userId,
            Name = keyName,
            Prefix = secret[..("sk_live_".Length + 6)],
            CreatedAt = now,
        };
        await keys.AddAsync(key, Secrets.Hash(secret), cancellationToken);

        // The hash stays on the member, so a second use is told "already accepted", not "unknown". A member changed
        // meanwhile by something else (its invitation mail recorded as sent) is read again; one accepted meanwhile lost.
        TeamMember active;
        for (var attempt = 1; ; attempt++)
        {
            active = invited with { Status = "active", LastActiveAt = now };
            try
            {
                await _members.ReplaceAsync(workspaceId, userId, active, stored.ETag,
                    new Dictionary<string, object?> { ["Email"] = active.Email.ToLowerInvariant() }, cancellationToken);
                break;
            }
            catch (RequestFailedException ex) when (ex.Status is 412 or 404)
            {
                var current = ex.Status == 412 && attempt < 5 ? await _members.GetAsync(workspaceId, userId, cancellationToken) : null;
                if (current is { Value: { Status: "pending", InvitationTokenHash: { } currentHash } } && Secrets.FixedTimeEquals(Secrets.Hash(token), currentHash))
                {
                    (stored, invited) = (current, current.Value);
                    continue;
                }
                await keys.UpdateAsync(key with { RevokedAt = now }, CancellationToken.None);
                return (ex.Status == 404 ? InvitationOutcome.Invalid : current is null || current.Value.Status != "pending" ? InvitationOutcome.AlreadyAccepted : InvitationOutcome.Invalid, null);
            }
        }
        return (InvitationOutcome.Accepted, new AcceptedInvitation(active, key, secret));
    }
}
