using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// Settings → team, API keys, webhooks and my mail in a real browser, checked against the API and the outside world:
/// the invitation mail reaches the SMTP server, a minted key works (and a revoked one does not), a webhook's receiver
/// gets a delivery and its replay; a viewer sees every tab and no control that writes, and is told why.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SettingsBrowserTests(DashboardFixture app)
{
    private static readonly TimeSpan Arrival = DashboardPages.Arrival;
    private static readonly float Wait = (float)Arrival.TotalMilliseconds;

    [Fact]
    public async Task An_admin_invites_a_member_changes_a_role_and_removes_a_member_whose_open_feedback_goes_to_the_owner()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);
        var members = await DashboardPages.Data(await admin.GetAsync("/v1/users"));
        var editor = members.EnumerateArray().Single(u => u.GetProperty("role").GetString() == "editor");
        var viewer = members.EnumerateArray().Single(u => u.GetProperty("role").GetString() == "viewer");
        var (editorId, editorEmail, viewerEmail) = (editor.GetProperty("id").GetString()!, editor.GetProperty("email").GetString()!, viewer.GetProperty("email").GetString()!);
        var feedback = await DashboardPages.Data(await admin.PostAsync("/v1/feedback", Json.Body(new { title = "Coupon field rejects codes", body = "SUMMER24 is refused." })));
        var feedbackId = feedback.GetProperty("id").GetString()!;
        await DashboardPages.Data(await admin.PatchAsync($"/v1/feedback/{feedbackId}", Json.Body(new { assigned_to = editorId })));
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/team");

        // Invite: the mail arrives, and the list shows that it was sent.
        var inviteeEmail = $"invitee-{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("E-mail address").FillAsync(inviteeEmail);
        await page.GetByLabel("Name (optional)").FillAsync("Ina Invited");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation", Exact = true }).ClickAsync();
        var invitation = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(inviteeEmail), Arrival);
        Assert.Contains("invited you to", invitation.Subject);
        var inviteeRow = page.Locator("tr", new() { HasText = inviteeEmail });
        await inviteeRow.Locator("[data-email-status=sent]", new() { HasText = "Mail sent" }).WaitForAsync(new() { Timeout = Wait });
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-settings-team.png"), FullPage = true });
        Assert.StartsWith("inv_", await page.GetByLabel(new Regex("^Invitation for Ina Invited")).InputValueAsync(), StringComparison.Ordinal);

        // Resend (a minute apart in production, a second here): a second mail with a new token.
        await Task.Delay(1100);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resend invitation to Ina Invited" }).ClickAsync();
        await app.Smtp.WaitForCountAsync(2, Arrival, m => m.Recipients.Contains(inviteeEmail));

        // Change a role.
        await page.GetByLabel($"Role of {viewerEmail}").SelectOptionAsync("editor");
        await page.GetByText($"{viewerEmail} is now Editor.").WaitForAsync();
        await DashboardPages.WaitForAsync(async () => (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray()
            .Any(u => u.GetProperty("email").GetString() == viewerEmail && u.GetProperty("role").GetString() == "editor") ? default(JsonElement) : null);

        // The owner can be neither demoted nor removed, and the page says so.
        var ownerRow = page.Locator("tr", new() { HasText = workspace.OwnerEmail });
        Assert.True(await ownerRow.GetByRole(AriaRole.Combobox).IsDisabledAsync());
        Assert.Equal(0, await ownerRow.GetByRole(AriaRole.Button).CountAsync());
        await ownerRow.GetByText("The workspace owner is always an admin and cannot be removed.").WaitForAsync();

        // Remove the editor, after a confirmation: their open feedback is the owner's now.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {editorEmail}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("Their open feedback and open conversations are handed to the workspace owner").WaitForAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = true }).ClickAsync();
        await page.GetByText($"{editorEmail} was removed").WaitForAsync();
        await page.Locator("tr", new() { HasText = editorEmail }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var reassigned = await DashboardPages.Data(await admin.GetAsync($"/v1/feedback/{feedbackId}"));
        Assert.Equal(workspace.OwnerUserId, reassigned.GetProperty("assigned_to").GetString());
        Assert.DoesNotContain((await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray(), u => u.GetProperty("id").GetString() == editorId);
    }

    [Fact]
    public async Task An_admin_mints_rotates_and_revokes_an_api_key_and_the_secrets_work_until_then()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/keys");

        await page.GetByLabel("Name (what it is for)").FillAsync("Nightly export");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = page.GetByLabel("The new key “Nightly export”", new() { Exact = true });
        var minted = await secret.InputValueAsync(new() { Timeout = Wait });
        await page.GetByText("it is shown only this once").WaitForAsync();
        Assert.StartsWith("sk_live_", minted, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateManagementClient(minted).GetAsync("/v1/feedback")).StatusCode);

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate the key Nightly export" }).ClickAsync();
        var rotatedSecret = page.GetByLabel(new Regex("^The new key “Nightly export”; the old one keeps working until"));
        var rotated = await rotatedSecret.InputValueAsync(new() { Timeout = Wait });
        Assert.StartsWith("sk_live_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(minted, rotated);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateManagementClient(rotated).GetAsync("/v1/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateManagementClient(minted).GetAsync("/v1/feedback")).StatusCode); // the 24-hour grace
        var keys = await DashboardPages.Data(await admin.GetAsync("/v1/api-keys"));
        var old = keys.EnumerateArray().Single(k => k.GetProperty("name").GetString() == "Nightly export" && k.GetProperty("retires_at").ValueKind == JsonValueKind.String);
        var oldRow = page.Locator($"tr[data-key-id={old.GetProperty("id").GetString()}]");
        var state = oldRow.Locator("td").Nth(6);
        await state.GetByText("Works until").WaitForAsync();
        var retiresAt = old.GetProperty("retires_at").GetDateTimeOffset();
        Assert.InRange(retiresAt - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(24));
        Assert.Equal(retiresAt, DateTimeOffset.Parse(await state.Locator("time").GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture));

        await oldRow.GetByRole(AriaRole.Button, new() { Name = "Revoke the key Nightly export" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("Anything using it gets 401 from now on.").WaitForAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await oldRow.GetByText("Revoked").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-settings-keys.png"), FullPage = true });
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateManagementClient(minted).GetAsync("/v1/feedback")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateManagementClient(rotated).GetAsync("/v1/feedback")).StatusCode);
    }

    [Fact]
    public async Task An_admin_adds_a_webhook_sees_its_delivery_and_replays_it_to_the_receiver()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/webhooks");

        await page.GetByLabel("URL").FillAsync(receiver.Url);
        await page.GetByLabel("Description").FillAsync("Ticket system");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add webhook" }).ClickAsync();
        var secret = await page.GetByLabel(new Regex("^The new webhook’s signing secret")).InputValueAsync(new() { Timeout = Wait });
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var hook = (await DashboardPages.Data(await admin.GetAsync("/v1/webhooks"))).EnumerateArray().Single();
        Assert.Equal(["feedback.created"], hook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Ticket system", hook.GetProperty("description").GetString());

        await DashboardPages.Data(await admin.PostAsync("/v1/feedback", Json.Body(new { title = "Wishlist is empty after login", body = "Items vanish." })));
        Assert.Single(await receiver.WaitForAsync(1, Arrival));

        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).First.ClickAsync();
        var delivered = page.Locator("tr", new() { HasText = "feedback.created" }).Filter(new() { HasText = "Delivered" }).First;
        await RefreshUntilAsync(page, delivered);
        await delivered.GetByText("200").WaitForAsync();
        await delivered.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Replay feedback.created") }).ClickAsync();
        await page.GetByText("Queued again").WaitForAsync();
        var received = await receiver.WaitForAsync(2, Arrival);
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.NotEqual(received[0].Headers["webhook-id"], received[1].Headers["webhook-id"]);
        await RefreshUntilAsync(page, page.Locator("tr", new() { HasText = "Replay of an earlier delivery" }).Filter(new() { HasText = "Delivered" }));
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-settings-webhook.png"), FullPage = true });

        // Turned off and its description emptied in the dashboard: off, and without a description, in the API.
        await page.GetByLabel("Enabled").UncheckAsync();
        await page.GetByLabel("Description").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.GetByText("Saved.").WaitForAsync();
        var changed = await DashboardPages.Data(await admin.GetAsync($"/v1/webhooks/{hook.GetProperty("id").GetString()}"));
        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("description").ValueKind);
    }

    [Fact]
    public async Task An_editor_changes_their_own_mail_preference()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var editorKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var page = await DashboardPages.SignInWithKeyAsync(app, editorKey, "/app/settings/mail");

        await page.GetByLabel("New feedback").SelectOptionAsync("daily");
        await page.GetByLabel("When feedback is assigned to me").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.GetByText("Saved.").WaitForAsync();

        var editor = (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("role").GetString() == "editor");
        var notifications = editor.GetProperty("notifications");
        Assert.Equal("daily", notifications.GetProperty("new_feedback").GetString());
        Assert.False(notifications.GetProperty("assigned").GetBoolean());
        Assert.True(notifications.GetProperty("widget_resumed").GetBoolean());
    }

    [Fact]
    public async Task An_admin_sets_a_viewers_mail_preferences_under_team_and_the_viewer_sees_them()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var viewerKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);
        var viewer = (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("role").GetString() == "viewer");
        var (viewerId, viewerEmail) = (viewer.GetProperty("id").GetString()!, viewer.GetProperty("email").GetString()!);
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/team");

        // The admin's own row points at My mail; another member's opens their preferences, by keyboard too.
        await page.Locator("tr", new() { HasText = workspace.OwnerEmail }).GetByRole(AriaRole.Link, new() { Name = "My mail" }).WaitForAsync();
        var open = page.GetByRole(AriaRole.Button, new() { Name = $"Mail preferences of {viewerEmail}" });
        await open.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var heading = page.GetByRole(AriaRole.Heading, new() { Name = $"Mail preferences of {viewerEmail}" });
        await heading.WaitForAsync();
        Assert.True(await heading.EvaluateAsync<bool>("h => document.activeElement === h"));
        Assert.Equal("true", await open.GetAttributeAsync("aria-expanded"));
        Assert.Equal("off", await page.GetByLabel("New feedback").InputValueAsync());

        await page.GetByLabel("New feedback").SelectOptionAsync("daily");
        await page.GetByLabel("When feedback is assigned to them").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await page.GetByText($"Saved: the mail preferences of {viewerEmail}.").WaitForAsync();

        var notifications = (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).EnumerateArray()
            .Single(u => u.GetProperty("id").GetString() == viewerId).GetProperty("notifications");
        Assert.Equal("daily", notifications.GetProperty("new_feedback").GetString());
        Assert.False(notifications.GetProperty("assigned").GetBoolean());
        Assert.True(notifications.GetProperty("widget_resumed").GetBoolean());

        // The viewer sees what the admin set (and still cannot change it), in German too.
        var viewerPage = await DashboardPages.SignInWithKeyAsync(app, viewerKey, "/app/settings/mail");
        Assert.Equal("daily", await viewerPage.GetByLabel("New feedback").InputValueAsync());
        Assert.False(await viewerPage.GetByLabel("When feedback is assigned to me").IsCheckedAsync());
        await viewerPage.GetByText("who can set them under Settings → Team").WaitForAsync();
        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByRole(AriaRole.Heading, new() { Name = $"E-Mail-Einstellungen von {viewerEmail}" }).WaitForAsync();
        await page.GetByText("Wenn ihm Feedback zugewiesen wird").WaitForAsync();
    }

    [Fact]
    public async Task A_viewer_sees_every_tab_but_no_control_that_writes_and_is_told_why()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var viewerKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);
        var page = await DashboardPages.SignInWithKeyAsync(app, viewerKey, "/app/settings/team");
        var settings = page.GetByRole(AriaRole.Navigation, new() { Name = "Settings sections" });

        await page.GetByText("only admins invite, change roles and remove members (your role is Viewer)").WaitForAsync();
        await page.Locator("tr", new() { HasText = workspace.OwnerEmail }).WaitForAsync();
        await AssertNoWriteControlsAsync(page, "team");

        await settings.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await page.GetByText("Only admins manage API keys; your role is Viewer.").WaitForAsync();
        await AssertNoWriteControlsAsync(page, "keys");

        await settings.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByText("Only admins see and manage webhooks; your role is Viewer.").WaitForAsync();
        await AssertNoWriteControlsAsync(page, "webhooks");

        await settings.GetByRole(AriaRole.Link, new() { Name = "My mail" }).ClickAsync();
        await page.GetByText("use the unsubscribe link at the foot of that mail").WaitForAsync();
        Assert.True(await page.GetByLabel("New feedback").IsDisabledAsync());
        Assert.True(await page.GetByLabel("When feedback is assigned to me").IsDisabledAsync());
        await AssertNoWriteControlsAsync(page, "mail");

        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByText("Leser können über die API nichts ändern").WaitForAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Bereiche der Einstellungen" }).GetByRole(AriaRole.Link, new() { Name = "API-Schlüssel" }).ClickAsync();
        await page.GetByText("Nur Admins verwalten API-Schlüssel; Ihre Rolle ist Leser.").WaitForAsync();
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violation_on_the_team_keys_webhooks_and_mail_tabs()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email = $"invitee-{Guid.NewGuid():N}@example.com", role = "editor" })));
        await using var receiver = await WebhookReceiver.StartAsync();
        await DashboardPages.Data(await admin.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { "*" } })));
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/team", bypassCsp: true);
        var problems = new List<string>();

        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation", Exact = true }).WaitForAsync();
        await page.Locator("tr", new() { HasText = "invitee-" }).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "team"));
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Remove invitee-") }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "removal dialog"));
        await page.Keyboard.PressAsync("Escape"); // the keyboard cancels it, and nothing is removed
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.Equal(2, (await DashboardPages.Data(await admin.GetAsync("/v1/users"))).GetArrayLength());
        await page.GotoAsync(app.BaseUrl + "/app/settings/keys");
        await page.Locator("tr[data-key-id]").First.WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "keys"));
        await page.GotoAsync(app.BaseUrl + "/app/settings/webhooks");
        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "webhooks"));
        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Deliveries" }).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "a webhook"));
        await page.GotoAsync(app.BaseUrl + "/app/settings/mail");
        await page.GetByLabel("New feedback").WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "mail"));

        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));
    }

    /// <summary>Clicks the deliveries' Refresh until <paramref name="row"/> shows (the receiver's answer is recorded after it arrives).</summary>
    private static async Task RefreshUntilAsync(IPage page, ILocator row)
    {
        var deadline = DateTime.UtcNow + Arrival;
        while (await row.CountAsync() == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("The delivery did not show. The page says:\n" + await page.InnerTextAsync("main"));
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            await Task.Delay(500);
        }
    }

    /// <summary>The settings tab shows no button and no enabled form control (the tabs and links are how a viewer moves).</summary>
    private static async Task AssertNoWriteControlsAsync(IPage page, string tab)
    {
        var section = page.Locator("main section");
        Assert.True(await section.Locator("button").CountAsync() == 0, $"{tab}: a viewer sees a button");
        Assert.True(await section.Locator("input:not([disabled]), select:not([disabled]), textarea:not([disabled])").CountAsync() == 0, $"{tab}: a viewer sees an enabled control");
    }
}
