using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Mail;

/// <summary>
/// The dashboard's e-mail sign-in through the public API: the link arrives at a real SMTP server, its token buys a
/// session key once, the key acts with the member's role, expires when unused and signs out.
/// </summary>
public sealed class SignInTests(MailApp app) : IClassFixture<MailApp>
{
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_member_signs_in_with_the_mailed_link_once_and_an_unknown_address_gets_the_same_answer_and_no_mail()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";

        var known = await client.PostAsync("/v1/auth/sign-in", Json.Body(new { email = workspace.OwnerEmail }));
        var stranger = await client.PostAsync("/v1/auth/sign-in", Json.Body(new { email = unknown }));
        Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, stranger.StatusCode);
        Assert.Equal((await known.ReadJsonAsync()).GetProperty("data").ToString(), (await stranger.ReadJsonAsync()).GetProperty("data").ToString());

        var mail = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(workspace.OwnerEmail), Arrival);
        Assert.StartsWith("Your sign-in link for", mail.Subject);
        var token = Uri.UnescapeDataString(Regex.Match(mail.Message.TextBody!, "/sign-in#token=([^\\s]+)").Groups[1].Value);
        Assert.StartsWith("sgn_", token);

        var session = await DataAsync(await client.PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = token })), HttpStatusCode.Created);
        Assert.Equal("session", session.GetProperty("api_key").GetProperty("kind").GetString());
        Assert.Equal(12 * 3600, session.GetProperty("api_key").GetProperty("idle_timeout_seconds").GetInt64());
        Assert.Equal(workspace.WorkspaceId, session.GetProperty("workspace").GetProperty("id").GetString());
        var key = session.GetProperty("api_key").GetProperty("key").GetString()!;
        var me = await DataAsync(await app.CreateManagementClient(key).GetAsync("/v1/auth/session"), HttpStatusCode.OK);
        Assert.Equal(workspace.OwnerUserId, me.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("admin", me.GetProperty("user").GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("api_key").GetProperty("key").ValueKind);

        await (await client.PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = token }))).AssertErrorAsync(401, "invalid_sign_in_token");
        await app.Smtp.AssertNothingArrivesAsync(m => m.Recipients.Contains(unknown), TimeSpan.FromSeconds(2));
        await (await client.PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = "sgn_nonsense" }))).AssertErrorAsync(401, "invalid_sign_in_token");
        await (await client.PostAsync("/v1/auth/sign-in", Json.Body(new { email = "not an address" }))).AssertErrorAsync(400, "validation_failed");
    }

    [Fact]
    public async Task Checking_a_link_says_whose_it_is_and_until_when_and_uses_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();
        var issued = app.Clock.GetUtcNow(); // the app's clock stands still
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/v1/auth/sign-in", Json.Body(new { email = workspace.OwnerEmail }))).StatusCode);
        var token = TokenFrom(await app.Smtp.WaitForAsync(m => m.Recipients.Contains(workspace.OwnerEmail), Arrival));
        var workspaceName = (await DataAsync(await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/workspace"), HttpStatusCode.OK)).GetProperty("name").GetString();

        for (var i = 0; i < 2; i++)
        {
            var link = await DataAsync(await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { sign_in_token = token })), HttpStatusCode.OK);
            Assert.Equal(workspace.OwnerEmail, link.GetProperty("email").GetString());
            Assert.Equal(workspace.WorkspaceId, link.GetProperty("workspace_id").GetString());
            Assert.Equal(workspaceName, link.GetProperty("workspace_name").GetString());
            Assert.InRange(link.GetProperty("expires_at").GetDateTimeOffset(), issued.AddMinutes(15).AddSeconds(-1), issued.AddMinutes(15).AddSeconds(1));
        }

        await DataAsync(await client.PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = token })), HttpStatusCode.Created);
        await (await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { sign_in_token = token }))).AssertErrorAsync(401, "invalid_sign_in_token");
        await (await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { sign_in_token = token[..^2] + "xx" }))).AssertErrorAsync(401, "invalid_sign_in_token");
        await (await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { sign_in_token = "sgn_nonsense" }))).AssertErrorAsync(401, "invalid_sign_in_token");
        var missing = await (await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { }))).AssertErrorAsync(400, "validation_failed");
        Assert.Equal(["sign_in_token"], missing.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task A_session_has_the_members_role_signs_out_and_an_api_key_cannot_be_signed_out()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var viewerEmail = $"viewer-{Guid.NewGuid():N}@example.com";
        var invited = await DataAsync(await admin.PostAsync("/v1/users", Json.Body(new { email = viewerEmail, role = "viewer" })), HttpStatusCode.Created);
        await DataAsync(await app.CreateClient().PostAsync("/v1/invitations/accept", Json.Body(new { invitation_token = invited.GetProperty("invitation_token").GetString() })), HttpStatusCode.Created);

        var key = await SignInAsync(viewerEmail);
        var viewer = app.CreateManagementClient(key);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/v1/feedback")).StatusCode);
        await (await viewer.PostAsync("/v1/feedback", Json.Body(new { body = "x" }))).AssertErrorAsync(403, "insufficient_role");

        Assert.Equal(HttpStatusCode.NoContent, (await viewer.DeleteAsync("/v1/auth/session")).StatusCode);
        await (await viewer.GetAsync("/v1/feedback")).AssertErrorAsync(401, "key_revoked");
        await (await admin.DeleteAsync("/v1/auth/session")).AssertErrorAsync(409, "not_a_session_key");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/auth/session")).StatusCode);
    }

    [Fact]
    public async Task A_link_expires_after_15_minutes_and_a_session_after_12_hours_unused()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/v1/auth/sign-in", Json.Body(new { email = workspace.OwnerEmail }))).StatusCode);
        var stale = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(workspace.OwnerEmail), Arrival);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await Task.Delay(300); // the app reads its clock file
        await (await client.PostAsync("/v1/auth/sign-in-links/check", Json.Body(new { sign_in_token = TokenFrom(stale) }))).AssertErrorAsync(401, "sign_in_link_expired");
        await (await client.PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = TokenFrom(stale) }))).AssertErrorAsync(401, "sign_in_link_expired");

        var key = await SignInAsync(workspace.OwnerEmail, after: stale);
        var session = app.CreateManagementClient(key);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/v1/auth/session")).StatusCode);
        app.Clock.Advance(TimeSpan.FromHours(11));
        await Task.Delay(300);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/v1/auth/session")).StatusCode); // used: the 12 hours start again
        app.Clock.Advance(TimeSpan.FromHours(12.5));
        await Task.Delay(300);
        await (await session.GetAsync("/v1/auth/session")).AssertErrorAsync(401, "key_expired");
    }

    private async Task<string> SignInAsync(string email, ReceivedMail? after = null)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await app.CreateClient().PostAsync("/v1/auth/sign-in", Json.Body(new { email }))).StatusCode);
        var mail = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(email) && m.Subject.Contains("sign-in", StringComparison.Ordinal) && m != after, Arrival);
        var session = await DataAsync(await app.CreateClient().PostAsync("/v1/auth/sessions", Json.Body(new { sign_in_token = TokenFrom(mail) })), HttpStatusCode.Created);
        return session.GetProperty("api_key").GetProperty("key").GetString()!;
    }

    private static string TokenFrom(ReceivedMail mail) =>
        Uri.UnescapeDataString(Regex.Match(mail.Message.TextBody!, "/sign-in#token=([^\\s]+)").Groups[1].Value);

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }
}
