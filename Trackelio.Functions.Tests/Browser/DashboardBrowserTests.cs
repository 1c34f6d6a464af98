using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Tests.Mail;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The dashboard in a real browser, through the dev host: a member signs in by the link mailed to the test's SMTP
/// server, triages a widget's bug report (its console error listed, its status changed, the assignee mailed), and a
/// viewer sees no way to change anything. The mailed links name the deployment's dashboard
/// (<see cref="MailApp.AppUrl"/>); here the same path and token are opened on the app under test.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture app)
{
    private static readonly TimeSpan Arrival = DashboardPages.Arrival;

    [Fact]
    public async Task A_member_signs_in_from_the_mail_and_triages_a_widget_report()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var editorEmail = $"editor-{Guid.NewGuid():N}@example.com";
        var invited = await DashboardPages.Data(await admin.PostAsync("/v1/users", Json.Body(new { email = editorEmail, name = "Erika Editor", role = "editor" })));
        await DashboardPages.Data(await app.CreateClient().PostAsync("/v1/invitations/accept", Json.Body(new { invitation_token = invited.GetProperty("invitation_token").GetString() })));
        await DashboardPages.Data(await admin.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new
        {
            modules = new { feedback = new { enabled = true, screenshots = true, console_capture = true, network_capture = true } },
        })));

        // A visitor of the demo shop reports the failing payment with the real widget: screenshot, console and network captured.
        var shop = await app.Browser.NewPageAsync();
        await shop.GotoAsync(app.Demo.Page(workspace.ProjectKey));
        await shop.ClickAsync("#pay");
        await shop.GetByText("Payment failed. Please try again later.").WaitForAsync();
        await shop.Locator(".launcher").ClickAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = "Report a problem or idea" }).ClickAsync();
        await shop.GetByLabel("Summary").FillAsync("Pay now does nothing");
        await shop.GetByLabel("Details").FillAsync("I pressed Pay now and nothing happened.");
        await shop.Locator("#tk-shot img").WaitForAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await shop.GetByText("Got it!").First.WaitForAsync();
        var feedbackId = (await shop.Locator("#trackelio-panel").GetAttributeAsync("data-feedback-id"))!;
        var viewport = shop.ViewportSize!;
        await shop.CloseAsync();
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, feedbackId);

        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/app/");
        await page.GetByLabel("Your e-mail address").FillAsync(workspace.OwnerEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mail me a sign-in link" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync();
        var mail = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(workspace.OwnerEmail), Arrival);
        var link = Regex.Match(mail.Message.TextBody!, "/sign-in#token=[^\\s]+").Value;
        await page.GotoAsync(app.BaseUrl + "/app" + link);
        var confirm = page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });
        await confirm.WaitForAsync(); // nothing happens unless the person confirms
        Assert.DoesNotContain("#token", page.Url, StringComparison.Ordinal); // and the token left the address bar first
        // The page says whose the link is (a link someone else sent would sign the person in as them).
        await page.GetByText(new Regex($"^This link signs you in to the Trackelio dashboard as .*{Regex.Escape(workspace.OwnerEmail)}.*, in the workspace ")).WaitForAsync();
        await page.GetByText("Not you? Close this page").WaitForAsync();
        await confirm.ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true }).WaitForAsync();

        // Used: opened again, the link is refused at once (no button to press), in the API's words.
        var usedAgain = await app.Browser.NewPageAsync();
        await usedAgain.GotoAsync(app.BaseUrl + "/app" + link);
        await usedAgain.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The sign-in link is unknown or was used already" }).WaitForAsync();
        Assert.Equal(0, await usedAgain.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).CountAsync());
        await usedAgain.CloseAsync();
        // Opened in the signed-in tab, the used link leaves its session as it was: back in the inbox, saying why.
        var sessionKey = await page.EvaluateAsync<string>("() => sessionStorage.getItem('trackelio.key')");
        await page.GotoAsync(app.BaseUrl + "/app" + link);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Inbox", Exact = true }).WaitForAsync();
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "The sign-in link is unknown or was used already" }).WaitForAsync();
        Assert.Equal(sessionKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('trackelio.key')"));

        var row = page.GetByRole(AriaRole.Link, new() { Name = "Pay now does nothing" });
        await row.WaitForAsync();
        await row.ClickAsync();
        await page.GetByText("[shop] payment failed: HTTP 502").First.WaitForAsync();
        await page.GetByText($"{viewport.Width} × {viewport.Height}").WaitForAsync();
        var screenshot = page.GetByRole(AriaRole.Img, new() { Name = "Screenshot" });
        await screenshot.WaitForAsync();
        Assert.True(await screenshot.EvaluateAsync<bool>("img => img.decode().then(() => img.naturalWidth > 0)"), "the widget's screenshot did not load");

        await page.GetByLabel("Status").SelectOptionAsync("resolved");
        await page.GetByLabel("Assignee").SelectOptionAsync(new SelectOptionValue { Label = "Erika Editor" });
        await page.GetByLabel("Add a note").FillAsync("Fixed in release 4.2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        try
        {
            await page.GetByText("Fixed in release 4.2").WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException("The note did not show. The page says:\n" + await page.InnerTextAsync("body"));
        }

        var stored = await DashboardPages.WaitForAsync(async () => (await DashboardPages.Data(await admin.GetAsync($"/v1/feedback/{feedbackId}"))) is var f
            && f.GetProperty("status").GetString() == "resolved" && f.GetProperty("assigned_to").GetString() == invited.GetProperty("id").GetString() ? f : (JsonElement?)null);
        Assert.Contains(stored.GetProperty("audit").EnumerateArray(), a => a.GetProperty("actor").GetString() == workspace.OwnerUserId);
        var assigned = await app.Smtp.WaitForAsync(m => m.Recipients.Contains(editorEmail) && m.Subject.StartsWith("Assigned to you", StringComparison.Ordinal), Arrival);
        Assert.Equal("Assigned to you: Pay now does nothing", assigned.Subject);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByLabel("Your e-mail address").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-signed-out.png") });
    }

    [Fact]
    public async Task A_viewer_signed_in_with_a_key_sees_no_write_controls()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var created = await DashboardPages.Data(await admin.PostAsync("/v1/feedback", Json.Body(new { title = "Read only please", body = "Just looking." })));
        var viewerKey = await app.CreateMemberKeyAsync(workspace, Trackelio.Functions.Workspaces.TeamRole.Viewer);

        var page = await app.Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/app/");
        await page.GetByLabel("Or paste an API key").FillAsync(viewerKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the key" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Read only please" }).ClickAsync();

        await page.GetByText("You can read but not change: your role is viewer.").WaitForAsync();
        Assert.True(await page.GetByLabel("Status").IsDisabledAsync());
        Assert.Equal(0, await page.GetByLabel("Add a note").CountAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/v1/feedback/{created.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task A_key_revoked_while_signed_in_signs_the_tab_out_and_a_mailed_widget_link_opens_its_settings()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var minted = await DashboardPages.Data(await admin.PostAsync("/v1/api-keys", Json.Body(new { name = "Laptop" })));

        // The widget-resumed mail links to {AppUrl}/widgets/{id}.
        var page = await DashboardPages.SignInWithKeyAsync(app, minted.GetProperty("key").GetString()!, "/app/widgets/" + workspace.WidgetId);
        var widgetName = (await DashboardPages.Data(await admin.GetAsync($"/v1/widgets/{workspace.WidgetId}"))).GetProperty("name").GetString()!;
        await page.GetByRole(AriaRole.Heading, new() { Name = widgetName }).WaitForAsync();

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/api-keys/{minted.GetProperty("id").GetString()}")).StatusCode);
        try
        {
            // The next view asks the API with the revoked key ...
            await page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync(new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            // ... unless a request of the open view met the revoked key first and the tab signed out already.
        }

        await page.GetByLabel("Or paste an API key").WaitForAsync();
        Assert.Equal(1, await page.GetByRole(AriaRole.Alert).CountAsync());
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('trackelio.key')"));
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violation_on_the_sign_in_page_the_inbox_or_a_report()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var created = await DashboardPages.Data(await admin.PostAsync("/v1/feedback", Json.Body(new { title = "Checkout button unreadable", body = "Low contrast on mobile." })));
        var page = await app.Browser.NewPageAsync(new() { BypassCSP = true });

        await page.GotoAsync(app.BaseUrl + "/app/");
        await page.GetByLabel("Your e-mail address").WaitForAsync();
        var problems = await DashboardPages.AxeAsync(page, "sign-in");
        await page.GetByLabel("Or paste an API key").FillAsync(workspace.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the key" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout button unreadable" }).WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "inbox"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout button unreadable" }).ClickAsync();
        await page.GetByLabel("Add a note").WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "report " + created.GetProperty("id").GetString()));

        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));

        // The check itself: an image without a text alternative is found (critical).
        await page.EvaluateAsync("() => document.querySelector('main').append(Object.assign(document.createElement('img'), { src: 'data:,' }))");
        Assert.Contains(await DashboardPages.AxeAsync(page, "broken"), p => p.Contains("image-alt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dashboard_is_served_with_a_strict_policy_and_revalidates_by_etag()
    {
        var client = app.CreateClient();
        var index = await client.GetAsync("/app/feedback/fb_anything");
        var script = await client.GetAsync("/app/app.js");

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var csp = index.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        var again = new HttpRequestMessage(HttpMethod.Get, "/app/app.js");
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal("no-cache", script.Headers.CacheControl?.ToString());

        // Code the app loads only when needed (the charts' library) is a chunk named by its hash: cached for good.
        var chunkName = Regex.Match(await script.Content.ReadAsStringAsync(), "chunks/[A-Za-z0-9._-]+\\.js").Value;
        Assert.NotEqual("", chunkName);
        var chunk = await client.GetAsync("/app/" + chunkName);
        Assert.Equal(HttpStatusCode.OK, chunk.StatusCode);
        Assert.Equal("text/javascript", chunk.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", chunk.Headers.CacheControl?.ToString());
        // A chunk that does not exist (one of an older build) is a 404, not the page served as script, never cached for good.
        var missing = await client.GetAsync("/app/chunks/nothing-here.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("no-cache", missing.Headers.CacheControl?.ToString());
    }
}
