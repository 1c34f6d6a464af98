using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The inbox narrowed by widget, assignee and date, and a report's logs narrowed by level, outcome and text — in a real
/// browser, each list checked against what the API holds.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InboxBrowserTests(DashboardFixture app)
{
    [Fact]
    public async Task The_inbox_narrows_by_assignee_and_date_and_a_reports_logs_by_level_outcome_and_text()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var admin = app.CreateManagementClient(workspace.AdminKey);
        // The screenshot is the demo shop as a visitor sees it, uploaded as the widget does.
        var shop = await app.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1024, Height = 640 } });
        await shop.GotoAsync(app.Demo.Page(workspace.ProjectKey));
        var screenshot = await shop.ScreenshotAsync();
        await shop.CloseAsync();
        var upload = await DashboardPages.Data(await app.CreateClient().SendAsync(WidgetRequests.Upload(workspace.ProjectKey, screenshot, "image/png")));

        var checkout = await SubmitAsync(workspace, new
        {
            title = "Pay now does nothing",
            description = "I pressed Pay now and nothing happened.",
            item_type = "bug",
            page = new { url = app.Demo.Origin + "/shop/checkout", title = "Checkout · Demo shop" },
            viewport = new { width = 1280, height = 720 },
            element = new { selector = "#pay-now", text = "Pay now" },
            attachment_ids = new[] { upload.GetProperty("id").GetString() },
            console_logs = new object[]
            {
                new { level = "info", message = "Cart loaded with 3 items", timestamp = "2026-12-07T09:00:00Z" },
                new { level = "warn", message = "Slow response from /api/cart", timestamp = "2026-12-07T09:00:01Z" },
                new { level = "error", message = "Uncaught TypeError: payment is undefined", timestamp = "2026-12-07T09:00:02Z" },
            },
            network_logs = new object[]
            {
                new { method = "GET", url = "https://shop.example/api/cart", status = 200, duration_ms = 1840.2 },
                new { method = "POST", url = "https://shop.example/api/pay", status = 500, duration_ms = 120.5 },
                new { method = "GET", url = "https://shop.example/api/stock", status = 404, duration_ms = 35 },
            },
        });
        var idea = await SubmitAsync(workspace, new { title = "Dark mode please", description = "At night the shop is too bright.", item_type = "idea" });
        await DashboardPages.Data(await admin.PatchAsync($"/v1/users/{workspace.OwnerUserId}", Json.Body(new { name = "Ada Lovelace" })));
        await DashboardPages.Data(await admin.PatchAsync($"/v1/feedback/{checkout}", Json.Body(new { assigned_to = workspace.OwnerUserId, status = "in_progress", note = "Reproduced on staging: the payment script loads after the button." })));

        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey);
        var rows = page.Locator("table.inbox tbody tr");
        await page.GetByRole(AriaRole.Link, new() { Name = "Dark mode please" }).WaitForAsync();
        Assert.Equal(2, await rows.CountAsync());

        await page.GetByLabel("Assignee").SelectOptionAsync(new SelectOptionValue { Label = "Me" });
        await Expect(rows, 1);
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Pay now does nothing" }).CountAsync());
        await page.GetByLabel("Assignee").SelectOptionAsync(new SelectOptionValue { Label = "Anyone" });
        await page.GetByLabel("Type").SelectOptionAsync("idea");
        await Expect(rows, 1);
        Assert.Equal("/app/feedback/" + idea, await page.GetByRole(AriaRole.Link, new() { Name = "Dark mode please" }).GetAttributeAsync("href"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Expect(rows, 2);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" }).ClickAsync(); // nothing focused in the picture
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-inbox.png") });
        // Dates are whole days in the reader's time zone: nothing was received tomorrow; today holds both.
        var tomorrow = DateTime.Now.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("From").FillAsync(tomorrow);
        await page.GetByText("No feedback matches.").WaitForAsync();
        await page.GetByLabel("From").FillAsync(DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("To").FillAsync(DateTime.Now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(rows, 2);

        await page.GetByRole(AriaRole.Link, new() { Name = "Pay now does nothing" }).ClickAsync();
        var consoleRows = page.Locator("section[aria-labelledby='console-heading'] tbody tr");
        var networkRows = page.Locator("section[aria-labelledby='network-heading'] tbody tr");
        await Expect(consoleRows, 3);
        await page.GetByLabel("Level").SelectOptionAsync("error");
        await Expect(consoleRows, 1);
        Assert.Contains("Uncaught TypeError: payment is undefined", await consoleRows.InnerTextAsync());
        await Expect(networkRows, 3);
        await page.GetByLabel("Outcome").SelectOptionAsync("server");
        await Expect(networkRows, 1);
        Assert.Contains("/api/pay", await networkRows.InnerTextAsync());
        await page.GetByLabel("Outcome").SelectOptionAsync("");
        await page.GetByLabel("Slowest first").CheckAsync();
        Assert.Contains("/api/cart", await networkRows.First.InnerTextAsync());
        await page.Locator("section[aria-labelledby='network-heading']").GetByLabel("Contains").FillAsync("stock");
        await Expect(networkRows, 1);
        Assert.Contains("404", await networkRows.InnerTextAsync());

        // The screenshot the visitor sent shows, through its signed link.
        var image = page.GetByRole(AriaRole.Img, new() { Name = "Screenshot" });
        await image.WaitForAsync();
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1024"), "the screenshot did not load");

        await page.GetByLabel("Level").SelectOptionAsync("");
        await page.GetByLabel("Outcome").SelectOptionAsync("");
        await page.Locator("section[aria-labelledby='network-heading']").GetByLabel("Contains").FillAsync("");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Pay now does nothing" }).ClickAsync(); // nothing focused in the picture
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-report.png"), FullPage = true });
    }

    private async Task<string> SubmitAsync(Trackelio.Functions.Workspaces.BootstrapResult workspace, object body)
    {
        var submitted = await DashboardPages.Data(await app.CreateClient().SendAsync(WidgetRequests.Submit(workspace.ProjectKey, body)));
        var id = submitted.GetProperty("id").GetString()!;
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        return id;
    }

    private static async Task Expect(ILocator rows, int count)
    {
        var deadline = DateTime.UtcNow + DashboardPages.Arrival;
        while (await rows.CountAsync() != count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Expected {count} rows, the page shows {await rows.CountAsync()}.");
            }
            await Task.Delay(100);
        }
    }
}
