using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Keys;

/// <summary>A management key as the API lists it: never the secret, only its prefix and use.</summary>
public sealed record ApiKeyView(string Id, string Name, string Prefix, string UserId, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, DateTimeOffset? RetiresAt, string? Key = null)
{
    /// <summary><c>api</c> (made through the API), or <c>session</c> (a dashboard sign-in, which expires after <see cref="IdleTimeoutSeconds"/> unused).</summary>
    public string Kind { get; init; } = "api";

    public long? IdleTimeoutSeconds { get; init; }

    public static ApiKeyView From(ApiKey key, string? secret = null) =>
        new(key.Id, key.Name, key.Prefix, key.UserId, key.CreatedAt, key.LastUsedAt, key.RevokedAt, key.RetiresAt, secret)
        {
            Kind = key.IdleTimeout is null ? "api" : "session",
            IdleTimeoutSeconds = key.IdleTimeout is { } idle ? (long)idle.TotalSeconds : null,
        };
}

/// <summary>
/// <c>/v1/api-keys</c>: management keys (admins only). A key's secret is shown once, when it is
/// made; only its SHA-256 is stored. Revoking stops the key at once on this instance and within
/// the key cache period (30 s) elsewhere; rotating makes a new key and lets the old one work 24 h.
/// </summary>
[ApiKeyAuth]
[Tags("API keys")]
[MinimumRole(TeamRole.Admin)]
public static class ApiKeysApi
{
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    [Function("ListApiKeys")]
    [EndpointSummary("List API keys (prefix and last use only)")]
    public static async Task<ApiResponse<IReadOnlyList<ApiKeyView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/api-keys")] HttpRequest req, CurrentMember member, IApiKeyStore keys, CancellationToken cancellationToken)
    {
        var list = new List<ApiKeyView>();
        await foreach (var key in keys.ListAsync(member.WorkspaceId, cancellationToken))
        {
            list.Add(ApiKeyView.From(key));
        }
        return ApiResults.List(list.OrderBy(k => k.CreatedAt).ToList());
    }

    [Function("CreateApiKey")]
    [EndpointSummary("Create an API key (the secret is shown once)")]
    public static async Task<Results<ApiCreated<ApiKeyView>, ApiError>> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/api-keys")] HttpRequest req, Body<CreateApiKeyRequest> request, CurrentMember member, IApiKeyStore keys, KeyMintingRule minting, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var (name, userId) = (request.Value.Name, request.Value.UserId ?? member.UserId);
        if (await minting.RefuseAsync(member, userId, cancellationToken) is { } refused)
        {
            return refused;
        }
        var (key, secret) = await IssueAsync(keys, member.WorkspaceId, userId, name, time.GetUtcNow(), cancellationToken);
        return ApiResults.Created($"/v1/api-keys/{key.Id}", ApiKeyView.From(key, secret));
    }

    [Function("RevokeApiKey")]
    [EndpointSummary("Revoke an API key")]
    public static async Task<Results<NoContent, ApiError>> Revoke([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/api-keys/{id}")] HttpRequest req, string id, CurrentMember member, IApiKeyStore keys, ApiKeyDirectory directory, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var key = Ids.IsValid(id, Ids.ApiKey) ? await keys.GetAsync(member.WorkspaceId, id, cancellationToken) : null;
        if (key is null)
        {
            return ApiError.NotFound("No API key with that id.");
        }
        if (key.RevokedAt is null)
        {
            await keys.UpdateAsync(key with { RevokedAt = time.GetUtcNow() }, cancellationToken);
            directory.InvalidateMember(member.WorkspaceId, key.UserId);
        }
        return TypedResults.NoContent();
    }

    [Function("RotateApiKey")]
    [EndpointSummary("Replace a key; the old one works 24 h more")]
    [ErrorResponses(409)]
    public static async Task<Results<ApiCreated<ApiKeyView>, ApiError>> Rotate([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/api-keys/{id}/rotate")] HttpRequest req, string id, CurrentMember member, IApiKeyStore keys, ApiKeyDirectory directory, KeyMintingRule minting, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var key = Ids.IsValid(id, Ids.ApiKey) ? await keys.GetAsync(member.WorkspaceId, id, cancellationToken) : null;
        if (key is null || key.RevokedAt is not null)
        {
            return ApiError.NotFound("No active API key with that id.");
        }
        if (key.IdleTimeout is not null)
        {
            return ApiError.Conflict("session_key_not_rotatable", "A sign-in session's key is not rotated (that would make it a lasting key); revoke it, and sign in again.");
        }
        if (await minting.RefuseAsync(member, key.UserId, cancellationToken) is { } refused)
        {
            return refused;
        }
        var now = time.GetUtcNow();
        var (replacement, secret) = await IssueAsync(keys, member.WorkspaceId, key.UserId, key.Name, now, cancellationToken);
        await keys.UpdateAsync(key with { RetiresAt = now + RotationGrace }, cancellationToken);
        directory.InvalidateMember(member.WorkspaceId, key.UserId);
        return ApiResults.Created($"/v1/api-keys/{replacement.Id}", ApiKeyView.From(replacement, secret));
    }

    private static async Task<(ApiKey Key, string Secret)> IssueAsync(IApiKeyStore keys, string workspaceId, string userId, string name, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var secret = Secrets.New(ApiKeyDirectory.Prefix);
        var key = new ApiKey
        {
            Id = Ids.New(Ids.ApiKey, now),
            WorkspaceId = workspaceId,
            UserId = userId,
            Name = name,
            Prefix = secret[..(ApiKeyDirectory.Prefix.Length + 6)],
            CreatedAt = now,
        };
        await keys.AddAsync(key, Secrets.Hash(secret), cancellationToken);
        return (key, secret);
    }
}
