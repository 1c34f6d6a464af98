using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Security;

/// <summary>Who may be handed a key that acts as a member, and how an invited member gets their first one.</summary>
[Collection(AppCollection.Name)]
public sealed class KeysAndInvitationsTests(TrackelioApp app)
{
    private sealed record Member(string Id, string Key);

    private async Task<Member> AddMemberAsync(BootstrapResult workspace, TeamRole role)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Ids.New(Ids.User);
        await app.Get<ITeamStore>().AddAsync(new TeamMember
        {
            Id = id, WorkspaceId = workspace.WorkspaceId, Email = $"{role}-{Guid.NewGuid():N}@example.com".ToLowerInvariant(), Role = role, CreatedAt = now,
        });
        var secret = Secrets.New("sk_live_");
        await app.Get<IApiKeyStore>().AddAsync(new ApiKey
        {
            Id = Ids.New(Ids.ApiKey), WorkspaceId = workspace.WorkspaceId, UserId = id, Name = "k", Prefix = secret[..14], CreatedAt = now,
        }, Secrets.Hash(secret));
        return new Member(id, secret);
    }

    /// <summary>caller × target → expected status (and code when refused). "owner" is the workspace's owner (an admin).</summary>
    public static TheoryData<string, string, int, string?> MintingPairs()
    {
        var rows = new TheoryData<string, string, int, string?>();
        foreach (var caller in new[] { "owner", "admin", "editor", "viewer" })
        {
            foreach (var target in new[] { "self", "owner", "admin", "editor", "viewer" })
            {
                var (status, code) = caller switch
                {
                    "owner" => (201, (string?)null),
                    "admin" when target == "self" => (201, null),
                    "admin" => (403, "key_for_other_member"),
                    _ => (403, "insufficient_role"), // managing keys is for admins, their own included
                };
                rows.Add(caller, target, status, code);
            }
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(MintingPairs))]
    public async Task Only_the_member_themself_or_the_owner_may_mint_a_key_for_a_member(string caller, string target, int status, string? code)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var members = new Dictionary<string, Member>
        {
            ["owner"] = new(workspace.OwnerUserId, workspace.AdminKey),
            ["admin"] = await AddMemberAsync(workspace, TeamRole.Admin),
            ["editor"] = await AddMemberAsync(workspace, TeamRole.Editor),
            ["viewer"] = await AddMemberAsync(workspace, TeamRole.Viewer),
        };
        var callerMember = members[caller];
        // A target of the caller's own role is a second member of that role (the owner is one of a kind: that is "self").
        var targetId = target == "self" || target == "owner" && caller == "owner" ? callerMember.Id : target == caller ? (await AddMemberAsync(workspace, Enum.Parse<TeamRole>(target, true))).Id : members[target].Id;

        var response = await app.CreateManagementClient(callerMember.Key).PostAsync("/v1/api-keys", Json.Body(new { name = "minted", user_id = targetId }));

        if (code is null)
        {
            var body = await response.ReadJsonAsync();
            Assert.True((int)response.StatusCode == status, $"{caller} → {target}: {body}");
            Assert.Equal(targetId, body.GetProperty("data").GetProperty("user_id").GetString());
        }
        else
        {
            await response.AssertErrorAsync(status, code);
        }
    }

    [Fact]
    public async Task A_non_owner_admin_cannot_rotate_the_owners_key_but_can_rotate_their_own()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = await AddMemberAsync(workspace, TeamRole.Admin);
        var client = app.CreateManagementClient(admin.Key);
        var own = await client.PostAsync("/v1/api-keys", Json.Body(new { name = "mine" }));
        var ownId = (await own.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();

        var owners = await client.PostAsync($"/v1/api-keys/{workspace.AdminKeyId}/rotate", null);
        var mine = await client.PostAsync($"/v1/api-keys/{ownId}/rotate", null);

        await owners.AssertErrorAsync(403, "key_for_other_member");
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
    }

    private async Task<(string UserId, string Token)> InviteAsync(BootstrapResult workspace, string role = "editor")
    {
        var invited = await app.CreateManagementClient(workspace.AdminKey)
            .PostAsync("/v1/users", Json.Body(new { email = $"new-{Guid.NewGuid():N}@example.com", role }));
        var data = (await invited.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (data.GetProperty("id").GetString()!, data.GetProperty("invitation_token").GetString()!);
    }

    private Task<HttpResponseMessage> AcceptAsync(object body) => app.CreateClient().PostAsync("/v1/invitations/accept", Json.Body(body));

    [Fact]
    public async Task Accepting_an_invitation_makes_the_member_active_with_a_first_key_shown_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (userId, token) = await InviteAsync(workspace, "editor");

        var accepted = await AcceptAsync(new { invitation_token = token, key_name = "laptop" });
        var data = (await accepted.ReadJsonAsync()).GetProperty("data");
        var secret = data.GetProperty("api_key").GetProperty("key").GetString()!;
        var asMember = app.CreateManagementClient(secret);
        var feedback = await asMember.PostAsync("/v1/feedback", Json.Body(new { body = "from the new member" }));
        var keys = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/api-keys");

        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        Assert.Equal("active", data.GetProperty("user").GetProperty("status").GetString());
        Assert.Equal(userId, data.GetProperty("user").GetProperty("id").GetString());
        Assert.StartsWith("sk_live_", secret);
        Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        var listed = (await keys.ReadJsonAsync()).GetProperty("data").EnumerateArray().Single(k => k.GetProperty("user_id").GetString() == userId);
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("key").ValueKind); // shown once, never listed
        Assert.Equal("laptop", listed.GetProperty("name").GetString());
    }

    private Task<HttpResponseMessage> CheckAsync(object body) => app.CreateClient().PostAsync("/v1/invitations/check", Json.Body(body));

    [Fact]
    public async Task Checking_an_invitation_says_what_it_is_for_and_accepts_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var before = DateTimeOffset.UtcNow;
        var (userId, token) = await InviteAsync(workspace, "viewer");
        var users = (await (await admin.GetAsync("/v1/users")).ReadJsonAsync()).GetProperty("data").EnumerateArray().ToList();
        var invitedEmail = users.Single(u => u.GetProperty("id").GetString() == userId).GetProperty("email").GetString();
        var owner = users.Single(u => u.GetProperty("id").GetString() == workspace.OwnerUserId);
        var workspaceName = (await (await admin.GetAsync("/v1/workspace")).ReadJsonAsync()).GetProperty("data").GetProperty("name").GetString();

        for (var i = 0; i < 2; i++)
        {
            var response = await CheckAsync(new { invitation_token = token });
            var invitation = (await response.ReadJsonAsync()).GetProperty("data");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(invitedEmail, invitation.GetProperty("email").GetString());
            Assert.Equal("viewer", invitation.GetProperty("role").GetString());
            Assert.Equal(workspace.WorkspaceId, invitation.GetProperty("workspace_id").GetString());
            Assert.Equal(workspaceName, invitation.GetProperty("workspace_name").GetString());
            Assert.Equal(owner.GetProperty("name").GetString() ?? owner.GetProperty("email").GetString(), invitation.GetProperty("invited_by").GetString());
            Assert.InRange(invitation.GetProperty("expires_at").GetDateTimeOffset(), before.AddDays(7).AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
        }
        Assert.Equal("pending", (await app.Get<ITeamStore>().GetAsync(workspace.WorkspaceId, userId))!.Status);

        await (await CheckAsync(new { invitation_token = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA") })).AssertErrorAsync(401, "invalid_invitation_token");
        await (await CheckAsync(new { invitation_token = InvitationToken.New(workspace.WorkspaceId, workspace.OwnerUserId) })).AssertErrorAsync(401, "invalid_invitation_token");
        await (await CheckAsync(new { invitation_token = 42 })).AssertErrorAsync(400, "validation_failed");
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(new { invitation_token = token })).StatusCode);
        await (await CheckAsync(new { invitation_token = token })).AssertErrorAsync(409, "invitation_already_accepted");
    }

    [Fact]
    public async Task An_invitation_works_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (_, token) = await InviteAsync(workspace);

        var first = await AcceptAsync(new { invitation_token = token });
        var second = await AcceptAsync(new { invitation_token = token });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertErrorAsync(409, "invitation_already_accepted");
    }

    [Fact]
    public async Task Racing_acceptances_give_exactly_one_key()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (userId, token) = await InviteAsync(workspace);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => AcceptAsync(new { invitation_token = token })));
        var keys = new List<JsonElement>();
        await foreach (var key in app.Get<IApiKeyStore>().ListAsync(workspace.WorkspaceId))
        {
            if (key.UserId == userId && key.RevokedAt is null)
            {
                keys.Add(JsonSerializer.SerializeToElement(key));
            }
        }

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(keys); // the losers' keys were revoked
    }

    [Fact]
    public async Task An_expired_invitation_is_refused()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var id = Ids.New(Ids.User);
        var token = InvitationToken.New(workspace.WorkspaceId, id);
        await app.Get<ITeamStore>().AddAsync(new TeamMember
        {
            Id = id, WorkspaceId = workspace.WorkspaceId, Email = $"late-{Guid.NewGuid():N}@example.com", Role = TeamRole.Viewer,
            Status = "pending", InvitationTokenHash = Secrets.Hash(token), CreatedAt = DateTimeOffset.UtcNow - TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1),
        });

        var response = await AcceptAsync(new { invitation_token = token });

        await response.AssertErrorAsync(401, "invitation_expired");
        await (await CheckAsync(new { invitation_token = token })).AssertErrorAsync(401, "invitation_expired");
        Assert.Equal("pending", (await app.Get<ITeamStore>().GetAsync(workspace.WorkspaceId, id))!.Status);
    }

    [Fact]
    public async Task Wrong_malformed_and_missing_tokens_are_refused_and_change_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (userId, token) = await InviteAsync(workspace);
        var wrong = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        var otherMember = InvitationToken.New(workspace.WorkspaceId, workspace.OwnerUserId);

        await (await AcceptAsync(new { invitation_token = wrong })).AssertErrorAsync(401, "invalid_invitation_token");
        await (await AcceptAsync(new { invitation_token = otherMember })).AssertErrorAsync(401, "invalid_invitation_token");
        await (await AcceptAsync(new { invitation_token = "inv_nonsense" })).AssertErrorAsync(401, "invalid_invitation_token");
        await (await AcceptAsync(new { invitation_token = 42 })).AssertErrorAsync(400, "validation_failed");
        await (await AcceptAsync(new { })).AssertErrorAsync(400, "validation_failed");

        Assert.Equal("pending", (await app.Get<ITeamStore>().GetAsync(workspace.WorkspaceId, userId))!.Status);
        Assert.Equal(HttpStatusCode.Created, (await AcceptAsync(new { invitation_token = token })).StatusCode);
    }
}
