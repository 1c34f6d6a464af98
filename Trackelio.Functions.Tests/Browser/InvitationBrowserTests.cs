using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Tests.Mail;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// Joining a workspace from the invitation mail in a real browser: the link (its path and token as mailed, opened on
/// the app under test as <see cref="DashboardBrowserTests"/> does for sign-in links) leaves the address bar at once and
/// says what the invitation is for and uses nothing up until the person clicks Join; joining signs the tab in with the member's first key, shows it once,
/// and the API shows the member active; the link works once, and a refused link is explained beside the sign-in form.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InvitationBrowserTests(DashboardFixture app)
{
    private static readonly TimeSpan Arrival = DashboardPages.Arrival;
    private const string KeyName = "First key (joined in the dashboard)";

    [Fact]
    public async Task An_invited_person_joins_from_the_mail_lands_in_the_inbox_and_the_link_works_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var workspaceName = (await DashboardPages.Data(await admin.GetAsync("/v1/auth/session"))).GetProperty("workspace").GetProperty("name").GetString()!;
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        var invited = await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email, name = "Ina Invited", role = "editor" })));
        var memberId = invited.GetProperty("id").GetString()!;
        var owner = (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("is_owner").GetBoolean());
        var link = await MailedLinkAsync(email);

        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/app" + link);
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join the workspace", Exact = true });
        await join.WaitForAsync();
        // What the invitation is for, before anything is used: who invited, to which workspace, as what, for which address.
        var inviter = owner.GetProperty("name").GetString() ?? owner.GetProperty("email").GetString();
        await page.GetByText($"{inviter} invited you to the Trackelio workspace {workspaceName}, as editor.").WaitForAsync();
        await page.GetByText($"The invitation is for {email}.").WaitForAsync();
        Assert.Equal(app.BaseUrl + "/app/invitation", page.Url); // the token left the address bar first
        Assert.Equal("pending", (await MemberAsync(admin, memberId)).GetProperty("status").GetString()); // opening the link used nothing up
        await join.ClickAsync();

        // Joined: the tab is signed in with the member's first key, shown once and explained.
        await page.GetByRole(AriaRole.Heading, new() { Name = $"Welcome to {workspaceName}" }).WaitForAsync();
        await page.GetByText("You are now a member of the team, as editor.").WaitForAsync();
        var key = await page.GetByLabel($"Your API key “{KeyName}”").InputValueAsync();
        Assert.StartsWith("sk_live_", key, StringComparison.Ordinal);
        Assert.Equal(key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('trackelio.key')"));
        await page.GetByText("it is a lasting key: it works until it is revoked").WaitForAsync();
        await page.GetByText("ask an admin of the workspace to revoke it under Settings → API keys").WaitForAsync();
        var signedIn = await DashboardPages.Data(await app.CreateManagementClient(key).GetAsync("/v1/auth/session"));
        Assert.Equal(memberId, signedIn.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("api", signedIn.GetProperty("api_key").GetProperty("kind").GetString());
        Assert.Equal(KeyName, signedIn.GetProperty("api_key").GetProperty("name").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Go to the inbox" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true }).WaitForAsync();
        await page.GetByText($"Ina Invited · {workspaceName} · editor").WaitForAsync();
        Assert.Equal(app.BaseUrl + "/app/", page.Url);
        var member = await MemberAsync(admin, memberId);
        Assert.Equal("active", member.GetProperty("status").GetString());
        Assert.Equal(email, member.GetProperty("email").GetString());

        // The link works once: opened again it is refused at once in the API's words, explained, and the sign-in form offered.
        var again = await app.Browser.NewPageAsync();
        await again.GotoAsync(app.BaseUrl + "/app" + link);
        await again.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The invitation was already accepted; it works once." }).WaitForAsync();
        await again.GetByText("If you joined already, sign in with your e-mail address below.").WaitForAsync();
        await again.GetByLabel("Your e-mail address").WaitForAsync();
        Assert.Null(await again.EvaluateAsync<string?>("() => sessionStorage.getItem('trackelio.key')"));
        Assert.Equal(1, (await DashboardPages.Data(await admin.GetAsync("/v1/api-keys"))).EnumerateArray()
            .Count(k => k.GetProperty("user_id").GetString() == memberId)); // the refused use made no key
    }

    [Fact]
    public async Task A_join_whose_dashboard_fails_to_open_keeps_the_key_and_opens_on_trying_again_without_accepting_twice()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        var memberId = (await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email, name = "Ina Unlucky", role = "viewer" }))))
            .GetProperty("id").GetString()!;
        var link = await MailedLinkAsync(email);
        var page = await app.Browser.NewPageAsync();
        // The invitation is accepted; the read of the new session that follows fails once.
        var sessionReads = 0;
        await page.RouteAsync("**/v1/auth/session", async route =>
        {
            if (route.Request.Method == "GET" && Interlocked.Increment(ref sessionReads) == 1)
            {
                await route.FulfillAsync(new()
                {
                    Status = 503,
                    ContentType = "application/json",
                    Body = """{"data":null,"meta":{"error":{"code":"storage_unavailable","message":"Storage did not answer in time; try again."}}}""",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await page.GotoAsync(app.BaseUrl + "/app" + link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the workspace", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Storage did not answer in time; try again." }).WaitForAsync();
        await page.GetByText("You have joined the workspace, but the dashboard could not be opened.").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Try again", Exact = true }).ClickAsync();

        // Signed in with the key the one acceptance answered, shown once as after any join.
        await page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Welcome to ") }).WaitForAsync();
        var key = await page.GetByLabel($"Your API key “{KeyName}”").InputValueAsync();
        var signedIn = await DashboardPages.Data(await app.CreateManagementClient(key).GetAsync("/v1/auth/session"));
        Assert.Equal(memberId, signedIn.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(1, (await DashboardPages.Data(await admin.GetAsync("/v1/api-keys"))).EnumerateArray()
            .Count(k => k.GetProperty("user_id").GetString() == memberId));
    }

    [Fact]
    public async Task An_older_link_of_a_resent_invitation_is_refused_and_a_person_joins_in_german_by_keyboard()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        var invited = await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email, role = "admin" })));
        var memberId = invited.GetProperty("id").GetString()!;
        var first = await MailedLinkAsync(email);
        await Task.Delay(1100); // the test app's resend interval is a second
        await DashboardPages.Data(await admin.PostAsync($"/v1/users/{memberId}/resend-invitation", null));
        var second = (await app.Smtp.WaitForCountAsync(2, Arrival, m => m.Recipients.Contains(email)))
            .Select(m => Regex.Match(m.Message.TextBody!, "/invitation#token=[^\\s]+").Value).Single(l => l != first);

        var page = await app.Browser.NewPageAsync(new() { Locale = "de-DE" });
        await page.GotoAsync(app.BaseUrl + "/app" + first);
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The invitation token is unknown." }).WaitForAsync();
        await page.GetByText("die Einladung wurde erneut gesendet und dies ist der ältere Link").WaitForAsync();
        await page.GetByLabel("Ihre E-Mail-Adresse").WaitForAsync();

        await page.GotoAsync(app.BaseUrl + "/app" + second);
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Dem Arbeitsbereich beitreten" });
        await page.GetByText($"Die Einladung gilt für {email}.").WaitForAsync();
        await page.GetByText(" als Admin in den Trackelio-Arbeitsbereich ").WaitForAsync();
        await join.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByText("Sie sind jetzt Mitglied des Teams, als Admin.").WaitForAsync();
        await page.GetByText("widerrufen Sie ihn unter Einstellungen → API-Schlüssel").WaitForAsync();
        Assert.StartsWith("sk_live_", await page.GetByLabel("Ihr API-Schlüssel „Erster Schlüssel (im Dashboard beigetreten)“").InputValueAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Button, new() { Name = "Zum Posteingang" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Posteingang", Exact = true }).WaitForAsync();
        Assert.Equal("active", (await MemberAsync(admin, memberId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_check_that_fails_for_another_reason_than_the_token_keeps_the_link_and_checks_again()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email, role = "viewer" })));
        var link = await MailedLinkAsync(email);
        var page = await app.Browser.NewPageAsync();
        // The first check meets a storage outage (as the API answers one); the next reaches the API.
        var outages = 0;
        await page.RouteAsync("**/v1/invitations/check", async route =>
        {
            if (Interlocked.Increment(ref outages) == 1)
            {
                await route.FulfillAsync(new() { Status = 503, ContentType = "application/json", Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
                    Body = """{"data":null,"meta":{"error":{"code":"storage_unavailable","message":"Storage did not answer in time; try again."}}}""" });
                return;
            }
            await route.ContinueAsync();
        });

        await page.GotoAsync(app.BaseUrl + "/app" + link);
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Storage did not answer in time" }).WaitForAsync();
        Assert.Equal(0, await page.GetByLabel("Your e-mail address").CountAsync()); // not treated as a refused link
        await page.GetByRole(AriaRole.Button, new() { Name = "Check the link again" }).ClickAsync();
        await page.GetByText($"The invitation is for {email}.").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Join the workspace", Exact = true }).WaitForAsync();
        Assert.Equal(2, outages);
    }

    [Fact]
    public async Task A_link_without_its_token_says_so_and_offers_the_sign_in_form()
    {
        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/app/invitation");
        await page.GetByText("This invitation link is incomplete.").WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Mail me a sign-in link" }).WaitForAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Join the workspace" }).CountAsync());
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_violation_on_the_join_page_the_joined_page_and_a_refusal()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email, role = "viewer" })));
        var link = await MailedLinkAsync(email);
        var page = await app.Browser.NewPageAsync(new() { BypassCSP = true });
        var problems = new List<string>();

        await page.GotoAsync(app.BaseUrl + "/app" + link);
        var join = page.GetByRole(AriaRole.Button, new() { Name = "Join the workspace", Exact = true });
        await join.WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "join"));
        await join.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Go to the inbox" }).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "joined"));

        var again = await app.Browser.NewPageAsync(new() { BypassCSP = true });
        await again.GotoAsync(app.BaseUrl + "/app" + link);
        await again.GetByRole(AriaRole.Alert).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(again, "refused"));

        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));
    }

    /// <summary>The path and token of the invitation link mailed to <paramref name="email"/> (the first one).</summary>
    private async Task<string> MailedLinkAsync(string email)
    {
        var mail = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(email), Arrival);
        Assert.StartsWith(MailApp.AppUrl + "/invitation#token=inv_", Regex.Match(mail.Message.TextBody!, "https?://[^\\s]+/invitation#token=[^\\s]+").Value, StringComparison.Ordinal);
        return Regex.Match(mail.Message.TextBody!, "/invitation#token=[^\\s]+").Value;
    }

    private static async Task<JsonElement> MemberAsync(HttpClient admin, string id) =>
        (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("id").GetString() == id);
}
