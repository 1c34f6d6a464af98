using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The dashboard's conversations in a real browser, with the real widget's messenger on the demo shop: a visitor's
/// chat reaches the list on its own, the member answers it from the keyboard, the answer reaches the visitor's
/// widget, the visitor's next message reaches the open conversation without a reload, and the member closes and
/// reopens it; a viewer reads it without any way to write; axe-core finds nothing serious.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ConversationsBrowserTests(DashboardFixture app)
{
    private const float Wait = 20_000; // a generous bound for a shared 2-core machine; never a timing assertion

    [Fact]
    public async Task A_visitors_chat_is_answered_from_the_dashboard_and_their_next_message_arrives_without_a_reload()
    {
        var workspace = await MessengerWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var dashboard = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/conversations");
        dashboard.SetDefaultTimeout(Wait);
        await dashboard.GetByText("No conversations match.").WaitForAsync();
        await dashboard.EvaluateAsync("() => { window.sameDocument = true; }"); // gone if the page is ever reloaded

        var shop = await app.Browser.NewPageAsync();
        shop.SetDefaultTimeout(Wait);
        await shop.GotoAsync(app.Demo.Page(workspace.ProjectKey));
        await shop.Locator(".launcher").ClickAsync();
        await shop.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await shop.GetByLabel("Write a message…").FillAsync("Hi! Do you ship to Austria?");
        await shop.Keyboard.PressAsync("Enter");
        await shop.Locator(".msg.visitor:not(.pending)", new() { HasText = "Do you ship to Austria?" }).WaitForAsync();

        // The list refreshes on its own; the member goes on with the keyboard only.
        var row = dashboard.GetByRole(AriaRole.Link, new() { Name = "Anonymous visitor" });
        await row.WaitForAsync();
        Assert.Equal("1", (await dashboard.Locator("table.conversation-list tbody tr td").Nth(2).InnerTextAsync()).Trim());
        await row.FocusAsync();
        await dashboard.Keyboard.PressAsync("Enter");
        await dashboard.GetByRole(AriaRole.Heading, new() { Name = "Chat with Anonymous visitor" }).WaitForAsync();
        await dashboard.GetByText("Hi! Do you ship to Austria?").WaitForAsync();
        await dashboard.GetByLabel("Your reply").FocusAsync();
        await dashboard.Keyboard.TypeAsync("We do! Delivery takes 2–3 days.");
        await dashboard.Keyboard.PressAsync("Control+Enter");
        await dashboard.Locator("ol.chat .msg.team", new() { HasText = "Delivery takes 2–3 days." }).WaitForAsync();
        Assert.Equal("", await dashboard.GetByLabel("Your reply").InputValueAsync());

        // The reply reaches the visitor's widget; their answer reaches the open conversation without a reload.
        await shop.Locator(".msg.team", new() { HasText = "Delivery takes 2–3 days." }).WaitForAsync();
        await shop.GetByLabel("Write a message…").FillAsync("Great, and to Switzerland?");
        await shop.Keyboard.PressAsync("Enter");
        await dashboard.Locator("ol.chat .msg.visitor", new() { HasText = "Great, and to Switzerland?" }).WaitForAsync();
        Assert.True(await dashboard.EvaluateAsync<bool>("() => window.sameDocument === true"));
        Assert.Equal("New message from Anonymous visitor: Great, and to Switzerland?",
            await dashboard.Locator("[aria-live=polite]", new() { HasText = "Switzerland" }).InnerTextAsync());

        var conversationId = dashboard.Url.Split('/')[^1];
        var stored = await DashboardPages.Data(await admin.GetAsync($"/v1/conversations/{conversationId}"));
        var bodies = stored.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("author_kind").GetString(), m.GetProperty("body").GetString())).ToList();
        Assert.Equal(new (string?, string?)[] { ("visitor", "Hi! Do you ship to Austria?"), ("team", "We do! Delivery takes 2–3 days."), ("visitor", "Great, and to Switzerland?") }, bodies);
        var reply = stored.GetProperty("messages")[1];
        Assert.Equal(workspace.OwnerUserId, reply.GetProperty("author_id").GetString());
        Assert.StartsWith("dash_", reply.GetProperty("client_message_id").GetString(), StringComparison.Ordinal);

        // Close and reopen, from the keyboard: the one button keeps the focus and says what it does next.
        var toggle = dashboard.GetByRole(AriaRole.Button, new() { Name = "Close the conversation" });
        await toggle.FocusAsync();
        await dashboard.Keyboard.PressAsync("Enter");
        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Reopen the conversation" }).WaitForAsync();
        await dashboard.GetByText("This conversation is resolved: reopen it to reply.").WaitForAsync();
        Assert.Equal("resolved", await StatusAsync(admin, conversationId));
        await shop.GetByText("This conversation has ended.").WaitForAsync(); // and the visitor's widget says so

        await dashboard.Keyboard.PressAsync("Enter");
        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Close the conversation" }).WaitForAsync();
        Assert.Equal("open", await StatusAsync(admin, conversationId));

        await dashboard.GetByLabel("Assignee").SelectOptionAsync(workspace.OwnerUserId);
        var assigned = await DashboardPages.WaitForAsync(async () => (await DashboardPages.Data(await admin.GetAsync($"/v1/conversations/{conversationId}"))).GetProperty("conversation") is var c
            && c.GetProperty("assigned_to").ValueKind == JsonValueKind.String ? c : (JsonElement?)null);
        Assert.Equal(workspace.OwnerUserId, assigned.GetProperty("assigned_to").GetString());
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-conversation.png"), FullPage = true });

        await dashboard.GetByRole(AriaRole.Link, new() { Name = "Back to the conversations" }).ClickAsync();
        var listed = dashboard.Locator("table.conversation-list tbody tr");
        await dashboard.GetByRole(AriaRole.Link, new() { Name = "Anonymous visitor" }).WaitForAsync();
        Assert.Equal("5", (await listed.Locator("td").Nth(2).InnerTextAsync()).Trim()); // three messages, the closing and the reopening
        Assert.Equal(workspace.OwnerEmail, (await listed.Locator("td").Nth(4).InnerTextAsync()).Trim());
        Assert.Equal("Open", (await listed.Locator("td").Nth(5).InnerTextAsync()).Trim());
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-conversations.png") });
    }

    [Fact]
    public async Task A_viewer_reads_a_chat_without_reply_or_close_controls()
    {
        var workspace = await MessengerWorkspaceAsync();
        var conversationId = await StartChatAsync(workspace, "Lena Gast", "Is the espresso grinder back in stock?");
        var viewerKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);

        var page = await DashboardPages.SignInWithKeyAsync(app, viewerKey, "/app/conversations");
        page.SetDefaultTimeout(Wait);
        await page.GetByRole(AriaRole.Link, new() { Name = "Lena Gast" }).ClickAsync();
        await page.GetByText("Is the espresso grinder back in stock?").WaitForAsync();

        await page.GetByText("You can read but not reply, close or assign: your role is viewer.").WaitForAsync();
        Assert.Equal(0, await page.GetByLabel("Your reply").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Close the conversation" }).CountAsync());
        Assert.Equal(0, await page.GetByLabel("Assignee").CountAsync());
        var stored = await DashboardPages.Data(await app.CreateManagementClient(workspace.AdminKey).GetAsync($"/v1/conversations/{conversationId}"));
        Assert.Equal("open", stored.GetProperty("conversation").GetProperty("status").GetString());
        Assert.Single(stored.GetProperty("messages").EnumerateArray());

        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByText("Sie können lesen, aber nicht antworten, schließen oder zuweisen: Ihre Rolle ist Leser.").WaitForAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Chat mit Lena Gast" }).WaitForAsync();
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violation_on_the_list_or_a_conversation()
    {
        var workspace = await MessengerWorkspaceAsync();
        var conversationId = await StartChatAsync(workspace, "Jonas Kunde", "Can I change my delivery address?");
        await DashboardPages.Data(await app.CreateManagementClient(workspace.AdminKey).PostAsync($"/v1/conversations/{conversationId}/messages", Json.Body(new { body = "Of course: which order?" })));

        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/conversations", bypassCsp: true);
        page.SetDefaultTimeout(Wait);
        await page.GetByRole(AriaRole.Link, new() { Name = "Jonas Kunde" }).WaitForAsync();
        var problems = await DashboardPages.AxeAsync(page, "conversations");
        await page.GetByRole(AriaRole.Link, new() { Name = "Jonas Kunde" }).ClickAsync();
        await page.GetByText("Of course: which order?").WaitForAsync();
        await page.GetByLabel("Assignee").WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "conversation " + conversationId));

        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));
    }

    // ---------- helpers ----------

    /// <summary>A workspace whose widget allows the demo shop and has the messenger on (PATCH /v1/widgets/{id}).</summary>
    private async Task<BootstrapResult> MessengerWorkspaceAsync()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var changed = await app.CreateManagementClient(workspace.AdminKey)
            .PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new { modules = new { messenger = new { enabled = true } } }));
        Assert.True(changed.StatusCode == HttpStatusCode.OK, await changed.Content.ReadAsStringAsync());
        return workspace;
    }

    /// <summary>A visitor named <paramref name="name"/> starts a chat (POST /v1/widget/messenger/start), from an address of their own.</summary>
    private async Task<string> StartChatAsync(BootstrapResult workspace, string name, string message)
    {
        var start = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start")
        {
            Content = Json.Body(new { message, submitter = new { name }, page = new { url = "https://shop.example.de/grinders" } }),
            Headers = { { "X-Project-Key", workspace.ProjectKey } },
        };
        var started = await DashboardPages.Data(await app.CreateClient(TestClientAddress.Unique()).SendAsync(start));
        return started.GetProperty("conversation_id").GetString()!;
    }

    private static async Task<string?> StatusAsync(HttpClient team, string conversationId) =>
        (await DashboardPages.Data(await team.GetAsync($"/v1/conversations/{conversationId}"))).GetProperty("conversation").GetProperty("status").GetString();
}
