using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class AuthTests(TrackelioApp app)
{
    [Fact]
    public async Task Missing_key_is_401_missing_api_key()
    {
        var response = await app.CreateClient().GetAsync("/v1/feedback");

        await response.AssertErrorAsync(401, "missing_api_key");
    }

    [Theory]
    [InlineData("Bearer sk_live_unknownunknownunknownunknown")]
    [InlineData("Bearer pk_live_notasecretkey")]
    [InlineData("Basic c2s6bGl2ZQ==")]
    public async Task Unknown_key_or_scheme_is_401_invalid_api_key(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feedback");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var response = await app.CreateClient().SendAsync(request);

        await response.AssertErrorAsync(401, "invalid_api_key");
    }

    [Fact]
    public async Task Bootstrap_admin_key_works_and_reports_its_rate_limit()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.Contains("RateLimit-Limit"));
        Assert.True(response.Headers.Contains("RateLimit-Remaining"));
        Assert.True(response.Headers.Contains("RateLimit-Reset"));
    }

    [Fact]
    public async Task Revoked_key_stops_at_once_on_this_instance()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var created = await admin.PostAsync("/v1/api-keys", Json.Body(new { name = "temporary" }));
        var key = (await created.ReadJsonAsync()).GetProperty("data");
        var secret = key.GetProperty("key").GetString()!;
        var client = app.CreateManagementClient(secret);
        var before = await client.GetAsync("/v1/feedback");

        var revoke = await admin.DeleteAsync($"/v1/api-keys/{key.GetProperty("id").GetString()}");
        var after = await client.GetAsync("/v1/feedback");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await after.AssertErrorAsync(401, "key_revoked");
    }

    [Fact]
    public async Task Rotated_key_keeps_working_during_its_grace_period_and_the_new_one_works()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);

        var rotated = await admin.PostAsync($"/v1/api-keys/{workspace.AdminKeyId}/rotate", null);
        var replacement = (await rotated.ReadJsonAsync()).GetProperty("data").GetProperty("key").GetString()!;
        var old = await admin.GetAsync("/v1/api-keys");
        var fresh = await app.CreateManagementClient(replacement).GetAsync("/v1/api-keys");

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var listed = (await fresh.ReadJsonAsync()).GetProperty("data").EnumerateArray().ToList();
        var original = listed.Single(k => k.GetProperty("id").GetString() == workspace.AdminKeyId);
        Assert.Equal(JsonValueKind.String, original.GetProperty("retires_at").ValueKind);
        Assert.All(listed, k => Assert.Equal(JsonValueKind.Null, k.GetProperty("key").ValueKind));
    }

    [Fact]
    public async Task Key_unused_for_twelve_months_is_401_key_expired()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var keys = app.Get<IApiKeyStore>();
        var key = (await keys.GetAsync(workspace.WorkspaceId, workspace.AdminKeyId))!;
        await keys.UpdateAsync(key with { CreatedAt = DateTimeOffset.UtcNow.AddDays(-400), LastUsedAt = DateTimeOffset.UtcNow.AddDays(-366) });
        app.Get<ApiKeyDirectory>().InvalidateMember(workspace.WorkspaceId, workspace.OwnerUserId);

        var response = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback");

        await response.AssertErrorAsync(401, "key_expired");
    }

    [Fact]
    public async Task Secret_is_stored_only_as_a_hash()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var stored = await app.Get<IApiKeyStore>().FindBySecretHashAsync(Secrets.Hash(workspace.AdminKey));
        var entity = await app.Get<Trackelio.Functions.Storage.StorageAccount>()
            .GetTableClient(Trackelio.Functions.Storage.StorageNames.Tables.ApiKeys)
            .GetEntityAsync<Azure.Data.Tables.TableEntity>(workspace.WorkspaceId, workspace.AdminKeyId);

        Assert.NotNull(stored);
        Assert.DoesNotContain(workspace.AdminKey, System.Text.Encoding.UTF8.GetString(entity.Value.GetBinary("Data")!), StringComparison.Ordinal);
    }
}

[Collection(AppCollection.Name)]
public sealed class KeyUseRecordingTests(TrackelioApp app)
{
    /// <summary>
    /// Another instance still holds the key in its cache when it is revoked here; its next use must
    /// not write its stale copy back and so un-revoke the key.
    /// </summary>
    [Fact]
    public async Task Recording_a_use_from_a_stale_cache_never_undoes_a_revocation()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var keys = app.Get<IApiKeyStore>();
        var otherInstance = new ApiKeyDirectory(keys, app.Get<ITeamStore>(), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new ApiKeyOptions { LastUsedResolution = TimeSpan.Zero }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyDirectory>.Instance);
        await otherInstance.AuthenticateAsync(workspace.AdminKey, CancellationToken.None);
        await Task.Delay(300);

        var key = (await keys.GetAsync(workspace.WorkspaceId, workspace.AdminKeyId))!;
        await keys.UpdateAsync(key with { RevokedAt = DateTimeOffset.UtcNow });
        var (stillCached, _) = await otherInstance.AuthenticateAsync(workspace.AdminKey, CancellationToken.None); // cached: within its TTL
        await Task.Delay(500); // its use is recorded in the background

        Assert.NotNull(stillCached);
        Assert.NotNull((await keys.GetAsync(workspace.WorkspaceId, workspace.AdminKeyId))!.RevokedAt);
        Assert.NotNull((await keys.FindBySecretHashAsync(Secrets.Hash(workspace.AdminKey)))!.RevokedAt);
        await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback")).AssertErrorAsync(401, "key_revoked");
    }

    [Fact]
    public async Task Recording_a_use_never_brings_back_a_removed_member()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var team = app.Get<ITeamStore>();
        var editorKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var editor = (await ListMembersAsync(team, workspace.WorkspaceId)).Single(m => m.Role == TeamRole.Editor);
        var otherInstance = new ApiKeyDirectory(app.Get<IApiKeyStore>(), team, TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new ApiKeyOptions { LastUsedResolution = TimeSpan.Zero }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<ApiKeyDirectory>.Instance);
        await otherInstance.AuthenticateAsync(editorKey, CancellationToken.None);
        await Task.Delay(300);

        await team.DeleteAsync(workspace.WorkspaceId, editor.Id);
        await otherInstance.AuthenticateAsync(editorKey, CancellationToken.None);
        await Task.Delay(500);

        Assert.Null(await team.GetAsync(workspace.WorkspaceId, editor.Id));
    }

    private static async Task<List<TeamMember>> ListMembersAsync(ITeamStore team, string workspaceId)
    {
        var members = new List<TeamMember>();
        await foreach (var member in team.ListAsync(workspaceId))
        {
            members.Add(member);
        }
        return members;
    }
}
