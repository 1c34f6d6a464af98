using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Keys;
using Trackelio.Functions.Management.Users;
using Trackelio.Functions.Management.Workspace;
using Trackelio.Functions.RateLimiting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.SignIn;

/// <summary>What a sign-in request answers, whoever asked: whether a link is on its way if the address is a member's.</summary>
public sealed record SignInRequestView(string EmailStatus);

/// <summary>Whom an unused sign-in link signs in, and until when it works.</summary>
public sealed record SignInLinkView(string Email, string? Name, string WorkspaceId, string WorkspaceName, DateTimeOffset ExpiresAt);

/// <summary>A session: the member, their workspace, and the key (its secret only when it was just made).</summary>
public sealed record SessionView(UserView User, WorkspaceView Workspace, ApiKeyView ApiKey);

/// <summary>
/// <c>/v1/auth</c>: the dashboard's sign-in, on the public API like everything the dashboard does.
/// <list type="bullet">
/// <item><c>POST /v1/auth/sign-in</c> <c>{ email }</c>: 202 for any address, known or not (no account enumeration);
/// the lookup and the mail happen in the <c>SendSignInLink</c> queue function, so the answer takes as long either way.
/// Ten requests a minute per client address.</item>
/// <item><c>POST /v1/auth/sessions</c> <c>{ sign_in_token }</c>: trades the mailed link's token (once, within 15 minutes)
/// for a session key — an <c>sk_live_…</c> key of the member, with their role, that expires after 12 hours unused.
/// A member may hold several unused links (up to five a quarter hour): asking for a new one voids none.</item>
/// <item><c>POST /v1/auth/sign-in-links/check</c> <c>{ sign_in_token }</c>: whom the link signs in (address, name,
/// workspace) and until when, using nothing — so the page a link opens can say whose it is before anyone trades it
/// (a link someone else mailed you signs you in as them). Only the token's holder learns this, and the holder could
/// sign in with it anyway.</item>
/// <item><c>GET /v1/auth/session</c>: who the key is (member, workspace, key); <c>DELETE</c> signs a session out (revokes its key).</item>
/// </list>
/// </summary>
[Tags("Sign-in")]
public static class SignInApi
{
    public const int RequestsPerMinutePerAddress = 10;

    [Function("RequestSignInLink")]
    [EndpointSummary("Mail a sign-in link to a member's address (answers alike for any address)")]
    [NoApiKey("none (answers alike for any address)")]
    [ErrorResponses(400, 413, 415, 429, 503)]
    public static async Task<Results<ApiAccepted<SignInRequestView>, ApiError>> RequestLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/sign-in")] HttpRequest req,
        Body<SignInRequest> request, HttpContext http, SharedRateLimiter limiter, StorageAccount account, MailPublisher mail, CancellationToken cancellationToken)
    {
        var decision = await limiter.AcquireAsync("sign-in", ClientIp.Of(http), RequestsPerMinutePerAddress, cancellationToken);
        if (!decision.Allowed)
        {
            return ApiError.TooManyRequests(decision.Reset);
        }
        if (!mail.IsEnabled)
        {
            return ApiResults.Accepted(new SignInRequestView(InvitationEmailStatus.Disabled));
        }
        var message = new SignInMessage(request.Value.Email, Ids.New(Ids.Request));
        await account.GetQueueClient(StorageNames.Queues.SignIn).SendMessageAsync(JsonSerializer.Serialize(message, TrackelioJson.Options), cancellationToken);
        return ApiResults.Accepted(new SignInRequestView(InvitationEmailStatus.Queued));
    }

    [Function("CreateSession")]
    [EndpointSummary("Trade a mailed sign-in link's token for a session key (once, within 15 minutes)")]
    [NoApiKey("the sign-in token")]
    [ErrorResponses(400, 401, 413, 415, 503)]
    public static async Task<Results<ApiCreated<SessionView>, ApiError>> CreateSession([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/sessions")] HttpRequest req,
        Body<CreateSessionRequest> request, ITeamStore team, IWorkspaceStore workspaces, IApiKeyStore keys, IOptions<SignInOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var token = request.Value.SignInToken;
        var now = time.GetUtcNow();
        if (SignInToken.Parse(token) is not var (workspaceId, userId))
        {
            return InvalidToken();
        }
        if (await workspaces.GetAsync(workspaceId, cancellationToken) is not { } workspace)
        {
            return InvalidToken();
        }
        var hash = Secrets.Hash(token);
        var expired = false;
        var outcome = await team.UpdateAsync(workspaceId, userId, member =>
        {
            if (member.Status != "active" || member.SignIn is not { } signIn
                || signIn.Links.FirstOrDefault(l => Secrets.FixedTimeEquals(hash, l.TokenHash)) is not { } link)
            {
                return null;
            }
            expired = link.IssuedAt + options.Value.LinkValidFor <= now;
            // Used (or expired): the link is gone either way; the member's other links still work.
            return member with { SignIn = signIn with { Links = [.. signIn.Links.Where(l => l != link)] } };
        }, cancellationToken: cancellationToken);
        if (outcome is not { Status: UpdateStatus.Updated, Value: { } signedIn })
        {
            return InvalidToken();
        }
        if (expired)
        {
            return LinkExpired();
        }

        var secret = Secrets.New(ApiKeyDirectory.Prefix);
        var key = new ApiKey
        {
            Id = Ids.New(Ids.ApiKey, now),
            WorkspaceId = workspaceId,
            UserId = userId,
            Name = "Dashboard sign-in",
            Prefix = secret[..(ApiKeyDirectory.Prefix.Length + 6)],
            CreatedAt = now,
            IdleTimeout = options.Value.SessionIdleTimeout,
        };
        await keys.AddAsync(key, Secrets.Hash(secret), cancellationToken);
        return ApiResults.Created($"/v1/api-keys/{key.Id}", new SessionView(UserView.From(signedIn, workspace.OwnerUserId), WorkspaceView.From(workspace), ApiKeyView.From(key, secret)));
    }

    [Function("CheckSignInLink")]
    [EndpointSummary("Whom a mailed sign-in link signs in, and until when, without using it")]
    [NoApiKey("the sign-in token")]
    [ErrorResponses(400, 401, 413, 415, 503)]
    public static async Task<Results<ApiResponse<SignInLinkView>, ApiError>> CheckLink([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/auth/sign-in-links/check")] HttpRequest req,
        Body<CreateSessionRequest> request, ITeamStore team, IWorkspaceStore workspaces, IOptions<SignInOptions> options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var token = request.Value.SignInToken;
        if (SignInToken.Parse(token) is not var (workspaceId, userId)
            || await team.GetAsync(workspaceId, userId, cancellationToken) is not { Status: "active", SignIn: { } signIn } member
            || await workspaces.GetAsync(workspaceId, cancellationToken) is not { } workspace)
        {
            return InvalidToken();
        }
        var hash = Secrets.Hash(token);
        if (signIn.Links.FirstOrDefault(l => Secrets.FixedTimeEquals(hash, l.TokenHash)) is not { } link)
        {
            return InvalidToken();
        }
        var expiresAt = link.IssuedAt + options.Value.LinkValidFor;
        if (expiresAt <= time.GetUtcNow())
        {
            return LinkExpired();
        }
        return ApiResults.Ok(new SignInLinkView(member.Email, member.Name, workspace.Id, workspace.Name, expiresAt));
    }

    [Function("GetSession")]
    [EndpointSummary("Who the key is: the member, their workspace and the key")]
    [ApiKeyAuth]
    public static async Task<Results<ApiResponse<SessionView>, ApiError>> GetSession([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/auth/session")] HttpRequest req,
        CurrentMember member, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        if (await workspaces.GetAsync(member.WorkspaceId, cancellationToken) is not { } workspace)
        {
            return ApiError.NotFound("The workspace no longer exists.");
        }
        return ApiResults.Ok(new SessionView(UserView.From(member.Key.Member, workspace.OwnerUserId), WorkspaceView.From(workspace), ApiKeyView.From(member.Key.ApiKey)));
    }

    [Function("DeleteSession")]
    [EndpointSummary("Sign out: revoke the session key the request is made with")]
    [ApiKeyAuth]
    [MinimumRole(TeamRole.Viewer)]
    [ErrorResponses(409)]
    public static async Task<Results<NoContent, ApiError>> DeleteSession([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/auth/session")] HttpRequest req,
        CurrentMember member, IApiKeyStore keys, ApiKeyDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = member.Key.ApiKey;
        if (key.IdleTimeout is null)
        {
            return ApiError.Conflict("not_a_session_key", "This is an API key, not a sign-in session: revoke it with DELETE /v1/api-keys/{id} if you mean to.");
        }
        await keys.UpdateAsync(key with { RevokedAt = time.GetUtcNow() }, cancellationToken);
        directory.Invalidate(Secrets.Hash(req.Headers.Authorization.ToString()["Bearer ".Length..].Trim()));
        return TypedResults.NoContent();
    }

    private static ApiError LinkExpired() =>
        ApiError.Unauthorized("sign_in_link_expired", "The sign-in link expired; ask for a new one.");

    private static ApiError InvalidToken() =>
        ApiError.Unauthorized("invalid_sign_in_token", "The sign-in link is unknown or was used already; ask for a new one.");
}
