using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The widget as visitors meet it: <c>trackelio.js</c> embedded by the demo page on a second
/// origin, in headless Chromium. Each scenario checks what the team then sees through the
/// management API, and leaves a screenshot of the open widget in <c>TestResults/widget-screenshots/</c>.
/// </summary>
public sealed class WidgetBrowserTests(WidgetBrowserFixture app) : IClassFixture<WidgetBrowserFixture>, IAsyncLifetime
{
    private const float Wait = 15_000; // a generous bound for a shared 2-core machine; never a timing assertion
    private IBrowserContext _context = null!;
    private readonly List<string> _pageConsole = [];

    public async Task InitializeAsync()
    {
        _context = await app.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1100, Height = 740 },
            Locale = "en-US",
            ColorScheme = ColorScheme.Light,
        });
        _context.SetDefaultTimeout(Wait);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    [Fact]
    public async Task Launcher_appears_styled_by_the_config_and_the_panel_is_a_keyboard_dialog()
    {
        var workspace = await WidgetAsync(new { theme = new { primary_color = "#0f766e", position = "bottom-left" } });
        var page = await OpenAsync(workspace);

        var launcher = Launcher(page);
        await launcher.WaitForAsync();
        var background = await launcher.EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor");
        var box = (await launcher.BoundingBoxAsync())!;
        await launcher.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("How can we help?").WaitForAsync();
        var focusInside = await page.EvaluateAsync<bool>("() => document.getElementById('trackelio-widget').shadowRoot.activeElement?.closest('[role=dialog]') != null");
        for (var i = 0; i < 12; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        var focusStillInside = await page.EvaluateAsync<bool>("() => document.getElementById('trackelio-widget').shadowRoot.activeElement?.closest('[role=dialog]') != null");
        await ShotAsync(page, "launcher-home");
        await page.Keyboard.PressAsync("Escape");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        var focusBack = await page.EvaluateAsync<bool>("() => document.getElementById('trackelio-widget').shadowRoot.activeElement?.classList.contains('launcher') === true");
        var globals = await NewGlobalsAsync(page);
        var config = await (await app.CreateClient().GetAsync($"/v1/widget/config?key={workspace.ProjectKey}")).ReadJsonAsync();

        Assert.Equal("rgb(15, 118, 110)", background);
        Assert.True(box.X < 100, $"bottom-left launcher at x={box.X}");
        Assert.Equal("bottom-left", config.GetProperty("data").GetProperty("theme").GetProperty("position").GetString());
        Assert.True(focusInside, "opening the panel moves focus into it");
        Assert.True(focusStillInside, "Tab stays inside the open panel");
        Assert.True(focusBack, "Escape closes the panel and returns focus to the launcher");
        Assert.Equal(["Trackelio"], globals);
        AssertNoPolicyViolations();
    }

    [Fact]
    public async Task Bug_with_a_screenshot_reaches_the_team_with_page_browser_console_and_attachment()
    {
        var workspace = await WidgetAsync();
        var page = await OpenAsync(workspace);
        await page.ClickAsync("#pay");
        await page.GetByText("Payment failed. Please try again later.").WaitForAsync();

        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Report a problem or idea" }).ClickAsync();
        await page.GetByLabel("Summary").FillAsync("Pay now does nothing");
        await page.GetByLabel("Details").FillAsync("I pressed Pay now and got an error.");
        await page.GetByLabel("Your e-mail").FillAsync("ada@example.com");
        await page.Locator("#tk-shot img").WaitForAsync();
        await ShotAsync(page, "feedback-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.GetByText("Got it!").First.WaitForAsync();
        var feedbackId = await page.Locator("#trackelio-panel").GetAttributeAsync("data-feedback-id");
        var userAgent = await page.EvaluateAsync<string>("() => navigator.userAgent");
        var pageUrl = page.Url;

        await app.WaitForFeedbackAsync(workspace.WorkspaceId, feedbackId!);
        var team = app.CreateManagementClient(workspace.AdminKey);
        var entry = (await (await team.GetAsync($"/v1/feedback/{feedbackId}")).ReadJsonAsync()).GetProperty("data");
        var logs = (await (await team.GetAsync($"/v1/feedback/{feedbackId}/logs")).ReadJsonAsync()).GetProperty("data");
        var messages = logs.GetProperty("console_logs").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        var network = logs.GetProperty("network_logs").EnumerateArray().ToList();
        var attachment = entry.GetProperty("attachments")[0];
        var download = await app.CreateClient().GetAsync(attachment.GetProperty("download_url").GetString());
        var png = await download.Content.ReadAsByteArrayAsync();
        await File.WriteAllBytesAsync(Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "captured-by-the-widget.png"), png);

        Assert.Equal("bug", entry.GetProperty("item_type").GetString());
        Assert.Equal("Pay now does nothing", entry.GetProperty("title").GetString());
        Assert.Equal("ada@example.com", entry.GetProperty("submitter").GetProperty("email").GetString());
        Assert.Equal(pageUrl, entry.GetProperty("page").GetProperty("url").GetString());
        Assert.Equal("/shop", entry.GetProperty("page").GetProperty("path").GetString());
        var chromeVersion = System.Text.RegularExpressions.Regex.Match(userAgent, @"Chrome/(\d+)\.").Groups[1].Value;
        Assert.Contains("Chrome", entry.GetProperty("client").GetProperty("browser").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(chromeVersion + ".", entry.GetProperty("client").GetProperty("browser_version").GetString(), StringComparison.Ordinal);
        Assert.Equal("Linux", entry.GetProperty("client").GetProperty("os").GetString());
        Assert.Contains(messages, m => m.Contains("[shop] payment failed: HTTP 502", StringComparison.Ordinal));
        var secretLine = Assert.Single(messages, m => m.Contains("[shop] paying", StringComparison.Ordinal));
        Assert.DoesNotContain("sk_test_demo_secret_123", secretLine, StringComparison.Ordinal);
        Assert.DoesNotContain("sess_9f8e7d6c5b4a", secretLine, StringComparison.Ordinal);
        Assert.True(entry.GetProperty("logs").GetProperty("redactions").GetInt32() >= 1);
        Assert.Contains(network, n => n.GetProperty("url").GetString()!.EndsWith("/api/pay", StringComparison.Ordinal) && n.GetProperty("status").GetInt32() == 502);
        Assert.Equal("screenshot", attachment.GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.True(png.Length > 5_000, $"the screenshot is {png.Length} bytes: the page, not a blank image");
        AssertNoPolicyViolations();
    }

    [Fact]
    public async Task On_a_disallowed_origin_the_widget_shows_the_refusal_and_nothing_is_stored()
    {
        var workspace = await WidgetAsync();
        var page = await OpenAsync(workspace, origin: app.OtherOrigin);

        await Launcher(page).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert).GetByText("Feedback is not available here");
        await refusal.WaitForAsync();
        var explanation = await page.GetByRole(AriaRole.Alert).InnerTextAsync();
        await ShotAsync(page, "refused-origin");
        // The page itself cannot post with the public key either.
        var direct = await page.EvaluateAsync<string>("""
            async ([api, key]) => {
              try {
                const r = await fetch(api + '/v1/widget/submit', { method: 'POST', headers: { 'X-Project-Key': key, 'Content-Type': 'application/json' },
                  body: JSON.stringify({ item_type: 'bug', description: 'from a stranger' }) });
                return 'readable ' + r.status;
              } catch (e) { return 'refused'; }
            }
            """, new[] { app.ApiUrl, workspace.ProjectKey });
        var team = app.CreateManagementClient(workspace.AdminKey);
        var feedback = (await (await team.GetAsync("/v1/feedback")).ReadJsonAsync()).GetProperty("meta");

        Assert.Contains(app.OtherOrigin, explanation, StringComparison.Ordinal);
        Assert.Equal("refused", direct);
        Assert.Equal(0, feedback.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_nps_answer_reaches_the_analytics_summary()
    {
        var workspace = await WidgetAsync();
        var page = await OpenAsync(workspace);

        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rate your experience" }).ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "9 / 10" }).ClickAsync();
        await page.GetByLabel("Anything you would like to add?").FillAsync("Fast delivery!");
        await ShotAsync(page, "nps");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.GetByText("Got it!").First.WaitForAsync();

        var summary = (await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/analytics/summary?period=7d")).ReadJsonAsync()).GetProperty("data");
        var responses = (await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/responses?kind=nps")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(100, summary.GetProperty("totals").GetProperty("nps_score").GetDouble());
        Assert.Equal("Fast delivery!", Assert.Single(responses.EnumerateArray()).GetProperty("comment").GetString());
    }

    [Fact]
    public async Task The_scroll_depth_trigger_offers_nps_once_the_visitor_scrolls_that_far()
    {
        var workspace = await WidgetAsync(new { trigger = new { type = "scroll-depth", scroll_depth_percent = 60 } });
        var page = await OpenAsync(workspace);
        await Launcher(page).WaitForAsync();
        await page.WaitForSelectorAsync("#trackelio-widget[data-loaded=true]", new() { State = WaitForSelectorState.Attached });

        var beforeScrolling = await page.GetByRole(AriaRole.Dialog).CountAsync();
        await page.Mouse.WheelAsync(0, 5000);
        await page.GetByRole(AriaRole.Dialog).GetByText("How likely are you to recommend us").WaitForAsync();
        await ShotAsync(page, "nps-by-scroll-depth");

        Assert.Equal(0, beforeScrolling);
    }

    [Fact]
    public async Task The_live_survey_is_answered()
    {
        var workspace = await WidgetAsync();
        var team = app.CreateManagementClient(workspace.AdminKey);
        var surveyId = await CreateLiveAsync(team, "/v1/surveys", new
        {
            name = "Checkout survey",
            default_language = "en",
            display = new { position = "center", delay_seconds = 1, frequency = "once" },
            questions = new object[]
            {
                new { id = "reason", type = "single_choice", required = true, title = new { en = "What brings you here today?" },
                    options = new[] { new { id = "buy", label = new { en = "Buying coffee" } }, new { id = "gift", label = new { en = "Looking for a gift" } } } },
                new { id = "ease", type = "rating", required = true, min = 1, max = 5, title = new { en = "How easy was checkout?" } },
                new { id = "more", type = "text", required = false, title = new { en = "Anything we could do better?" } },
            },
        });
        var page = await OpenAsync(workspace);

        // Its display: it opens by itself after its delay, in the middle of the page.
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("What brings you here today?").WaitForAsync();
        Assert.Contains("center", (await page.Locator("#trackelio-panel").GetAttributeAsync("class"))!.Split(' '));
        // Dismissed, a `once` survey does not open by itself again; the home still offers it.
        await page.Keyboard.PressAsync("Escape");
        await page.ReloadAsync();
        await page.Locator("#trackelio-widget[data-loaded=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Task.Delay(2500);
        Assert.Equal(0, await dialog.CountAsync());
        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Quick survey" }).ClickAsync();
        await page.GetByText("Looking for a gift").ClickAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "4 / 5" }).ClickAsync();
        await page.GetByLabel("Anything we could do better?").FillAsync("More decaf, please");
        await ShotAsync(page, "survey");
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit answers" }).ClickAsync();
        await page.GetByText("Got it!").First.WaitForAsync();

        var results = (await (await team.GetAsync($"/v1/surveys/{surveyId}/results")).ReadJsonAsync()).GetProperty("data");
        var questions = results.GetProperty("questions");
        Assert.Equal(1, results.GetProperty("responses").GetInt32());
        Assert.Equal(1, questions[0].GetProperty("option_counts").GetProperty("gift").GetInt32());
        Assert.Equal(4.0, questions[1].GetProperty("average_rating").GetDouble());
        Assert.Equal("More decaf, please", questions[2].GetProperty("latest_texts")[0].GetString());
    }

    [Fact]
    public async Task An_announcement_for_this_path_shows_and_one_for_another_path_does_not()
    {
        var workspace = await WidgetAsync();
        var team = app.CreateManagementClient(workspace.AdminKey);
        await CreateLiveAsync(team, "/v1/announcements", new
        {
            title = new { en = "Free shipping this week" },
            body = new { en = "Orders over **€20** ship free until Sunday." },
            style = "banner",
            targeting = new { attribute = "path", @operator = "equals", value = "/shop" },
        });
        await CreateLiveAsync(team, "/v1/announcements", new
        {
            title = new { en = "New: the Roaster's Club" },
            body = new { en = "Subscribe and save 15% on every bag." },
            style = "banner",
            targeting = new { attribute = "path", @operator = "equals", value = "/pricing" },
        });
        var page = await OpenAsync(workspace, path: "/shop");

        var banner = page.Locator(".banner");
        await banner.GetByText("Free shipping this week").WaitForAsync();
        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "What's new" }).ClickAsync();
        await page.Locator("article.card").First.WaitForAsync();
        await ShotAsync(page, "announcements");
        var bold = await banner.Locator("strong", new() { HasText = "€20" }).CountAsync();

        Assert.Equal(1, bold);
        Assert.Equal(0, await page.GetByText("Roaster's Club").CountAsync());
        Assert.Equal(1, await page.Locator("article.card").CountAsync());
    }

    [Fact]
    public async Task The_widgets_own_targeting_shows_it_only_where_it_holds_following_page_changes_and_identify()
    {
        var workspace = await WidgetAsync(new
        {
            trigger = new { type = "scroll-depth", scroll_depth_percent = 60 },
            targeting = new
            {
                any = new object[]
                {
                    new { attribute = "path", @operator = "matches", value = "/shop*" },
                    new { attribute = "user_id", @operator = "equals", value = "u-42" },
                },
            },
        });

        // Elsewhere, for an unknown visitor: nothing shows (the widget decided: its host is there, hidden).
        var elsewhere = await OpenAsync(workspace, path: "/pricing");
        await elsewhere.Locator("#trackelio-widget[data-state=not-targeted]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(0, await Launcher(elsewhere).CountAsync());
        // The site says who the visitor is: the rules hold now, and the widget shows.
        await elsewhere.EvaluateAsync("() => Trackelio.identify({ user_id: 'u-42' })");
        await Launcher(elsewhere).WaitForAsync();

        // On a matching page it shows; a single-page app's navigation away hides it, and back shows it again.
        var shop = await OpenAsync(workspace, path: "/shop/beans");
        await Launcher(shop).WaitForAsync();
        await shop.EvaluateAsync("() => history.pushState({}, '', '/about')");
        await Launcher(shop).WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        Assert.True(await shop.Locator("#trackelio-widget").EvaluateAsync<bool>("host => host.hidden"));
        // Hidden, its NPS trigger waits: scrolling there offers nothing; back on a page it is for, the same scroll does.
        await shop.Mouse.WheelAsync(0, 5000);
        await Task.Delay(1500);
        Assert.Equal(0, await shop.GetByRole(AriaRole.Dialog).CountAsync());
        await shop.EvaluateAsync("() => history.pushState({}, '', '/shop/cart')");
        await Launcher(shop).WaitForAsync();
        await shop.Mouse.WheelAsync(0, -5000);
        await shop.Mouse.WheelAsync(0, 5000);
        await shop.GetByRole(AriaRole.Dialog).GetByText("How likely are you to recommend us").WaitForAsync();
        AssertNoPolicyViolations();
    }

    [Fact]
    public async Task Custom_values_from_identify_and_page_changes_bring_the_survey_and_announcements_meant_for_them()
    {
        var workspace = await WidgetAsync(new { targeting = new { attribute = "custom.plan", @operator = "not_equals", value = "trial" } });
        var team = app.CreateManagementClient(workspace.AdminKey);
        await CreateLiveAsync(team, "/v1/surveys", new
        {
            name = "Pro survey",
            default_language = "en",
            display = new { delay_seconds = 3600 }, // offered in the home only: it does not open by itself within this test
            targeting = new { all = new object[]
            {
                new { attribute = "custom.plan", @operator = "equals", value = "PRO" },
                new { attribute = "custom.seats", @operator = "equals", value = "12" },
            } },
            questions = new object[] { new { id = "ease", type = "rating", required = true, min = 1, max = 5, title = new { en = "How easy is the Pro plan?" } } },
        });
        await CreateLiveAsync(team, "/v1/announcements", new
        {
            title = new { en = "Cart tips" },
            body = new { en = "Beans ship within a day." },
            style = "banner",
            targeting = new { attribute = "path", @operator = "equals", value = "/shop/cart" },
        });
        await CreateLiveAsync(team, "/v1/announcements", new
        {
            title = new { en = "Welcome, news readers" },
            body = new { en = "10% off your first bag." },
            style = "banner",
            targeting = new { attribute = "referrer", @operator = "starts_with", value = "https://news.example/" },
        });
        var page = await OpenAsync(workspace, path: "/shop");
        await page.Locator("#trackelio-widget[data-loaded=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(0, await page.Locator(".banner").CountAsync());
        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "What's new" }).WaitForAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Quick survey" }).CountAsync());

        // The site says who the visitor is, with custom values: the survey for them is read again and offered at once.
        await page.EvaluateAsync("() => Trackelio.identify({ user_id: 'u-7', custom: { plan: 'pro', seats: 12, team: { nested: true }, empty: '' } })");
        await page.GetByRole(AriaRole.Button, new() { Name = "Quick survey" }).WaitForAsync();
        lock (_pageConsole)
        {
            Assert.Contains(_pageConsole, m => m.Contains("custom value \"team\" left out", StringComparison.Ordinal));
            Assert.Contains(_pageConsole, m => m.Contains("custom value \"empty\" left out", StringComparison.Ordinal));
        }

        // A single-page app's navigation brings the banner meant for the new path and takes it away on leaving it;
        // once dismissed, it stays away when the visitor comes back.
        await page.Keyboard.PressAsync("Escape");
        var banner = page.Locator(".banner", new() { HasText = "Cart tips" });
        async Task GoAsync(string path) => await page.RunAndWaitForResponseAsync(() => page.EvaluateAsync($"() => history.pushState({{}}, '', '{path}')"),
            r => r.Url.Contains("/v1/widget/announcements?", StringComparison.Ordinal) && r.Url.Contains("path=" + Uri.EscapeDataString(path) + "&", StringComparison.Ordinal));
        await GoAsync("/shop/cart");
        await banner.WaitForAsync();
        await GoAsync("/shop");
        await banner.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await GoAsync("/shop/cart");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await banner.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await GoAsync("/shop");
        await GoAsync("/shop/cart");
        await Task.Delay(500);
        Assert.Equal(0, await banner.CountAsync());

        // The widget's own targeting reads custom values too: on a trial plan nothing shows.
        await page.EvaluateAsync("() => Trackelio.identify({ user_id: 'u-7', custom: { plan: 'trial' } })");
        await Launcher(page).WaitForAsync(new() { State = WaitForSelectorState.Hidden });
        await page.EvaluateAsync("() => Trackelio.identify({ user_id: 'u-7', custom: { plan: 'team' } })");
        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "What's new" }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Quick survey" }).WaitForAsync(new() { State = WaitForSelectorState.Detached });

        // Calls queued before the async script arrived are made when it does (identify, then open; one that throws or names
        // no call or view is left out, the rest still made); later pushes at once, the same line working in strict code.
        var queued = await _context.NewPageAsync();
        await queued.AddInitScriptAsync("""
            (window.Trackelio = window.Trackelio || []).push(['identify', { get user_id() { throw new Error('boom'); } }],
              ['identify', { user_id: 'u-8', custom: { plan: 'pro', seats: 12 } }], ['open', 'constructor'], ['open', 'survey'], ['boot']);
            window.readyHeard = 0;
            addEventListener('trackelio:ready', () => { readyHeard++; });
            """);
        queued.Console += (_, message) => { lock (_pageConsole) { _pageConsole.Add(message.Text); } };
        await queued.GotoAsync(app.DemoPage(workspace.ProjectKey));
        await queued.GetByText("How easy is the Pro plan?").WaitForAsync();
        Assert.Equal(1, await queued.EvaluateAsync<int>("() => readyHeard"));
        lock (_pageConsole)
        {
            Assert.Contains(_pageConsole, m => m.Contains("Trackelio.push takes open, close and identify, not boot", StringComparison.Ordinal));
            Assert.Contains(_pageConsole, m => m.Contains("Trackelio.identify", StringComparison.Ordinal) && m.Contains("boom", StringComparison.Ordinal));
        }
        await queued.EvaluateAsync("() => { 'use strict'; (window.Trackelio = window.Trackelio || []).push(['close'], ['identify', { custom: { plan: 'trial' } }]); }");
        await Launcher(queued).WaitForAsync(new() { State = WaitForSelectorState.Hidden });

        // The page's referrer is sent too: a visitor who came from the news site is greeted.
        var referred = await _context.NewPageAsync();
        await referred.GotoAsync(app.DemoPage(workspace.ProjectKey), new() { Referer = "https://news.example/story" });
        await referred.Locator(".banner", new() { HasText = "Welcome, news readers" }).WaitForAsync();
        AssertNoPolicyViolations();
    }

    [Fact]
    public async Task An_inline_widget_is_drawn_in_its_slot_or_the_body_without_taking_the_focus_or_scrolling_the_page()
    {
        var workspace = await WidgetAsync(new { theme = new { position = "inline" } });
        var withSlot = await _context.NewPageAsync();
        // The site's slot at the foot of the page, below the fold (the demo's snippet stands in <head>), made by the site's
        // script once the page is read, which takes 2 s to arrive here: the widget's config is read before the slot is there.
        await withSlot.AddInitScriptAsync("document.addEventListener('DOMContentLoaded', () => { const slot = document.createElement('div'); slot.id = 'slot'; slot.dataset.trackelioInline = ''; document.querySelector('.filler').after(slot); })");
        await withSlot.RouteAsync("**/demo.js", async route => { await Task.Delay(2000); await route.ContinueAsync(); });
        await withSlot.GotoAsync(app.DemoPage(workspace.ProjectKey));
        await withSlot.Locator("#slot #trackelio-widget[data-loaded=true] #trackelio-panel").WaitForAsync();
        Assert.Equal((0.0, "BODY"), (await withSlot.EvaluateAsync<double>("() => scrollY"), await withSlot.EvaluateAsync<string>("() => document.activeElement.tagName")));
        Assert.Equal(0, await Launcher(withSlot).CountAsync());
        // Part of the page: a visitor who picks a view is taken into it, and Escape closes nothing.
        await withSlot.GetByRole(AriaRole.Button, new() { Name = "Report a problem or idea" }).ClickAsync();
        await withSlot.Keyboard.PressAsync("Escape");
        Assert.True(await withSlot.EvaluateAsync<bool>("() => { const r = document.getElementById('trackelio-widget').shadowRoot; return r.getElementById('trackelio-panel').contains(r.activeElement); }"));
        Assert.Equal(1, await withSlot.Locator("#trackelio-panel").CountAsync());
        // A single-page app's navigation takes the slot away and renders another: the panel goes with it, then into the new one.
        await withSlot.EvaluateAsync("() => { document.getElementById('slot').remove(); setTimeout(() => { const slot = document.createElement('div'); slot.id = 'help'; slot.dataset.trackelioInline = ''; document.querySelector('main').prepend(slot); }, 500); }");
        await withSlot.Locator("#help #trackelio-widget #trackelio-panel").WaitForAsync();
        Assert.Equal(1, await withSlot.Locator("#trackelio-widget").CountAsync());
        // Gone with its slot until the next, here an element the app marks as one.
        await withSlot.EvaluateAsync("() => document.getElementById('help').remove()");
        Assert.Equal(0, await withSlot.Locator("#trackelio-widget").CountAsync());
        await withSlot.EvaluateAsync("() => document.querySelector('.filler').setAttribute('data-trackelio-inline', '')");
        await withSlot.Locator(".filler #trackelio-widget #trackelio-panel").WaitForAsync();

        // No slot, and the snippet in <head>: the panel goes into the body, where it can be seen.
        var withoutSlot = await OpenAsync(workspace);
        await withoutSlot.Locator("#trackelio-panel").WaitForAsync();
        Assert.Equal("BODY", await withoutSlot.EvaluateAsync<string>("() => document.getElementById('trackelio-widget').parentElement.tagName"));
        Assert.Equal("BODY", await withoutSlot.EvaluateAsync<string>("() => document.activeElement.tagName"));
        AssertNoPolicyViolations();
    }

    [Fact]
    public async Task Messenger_the_teams_reply_appears_in_the_page()
    {
        var workspace = await WidgetAsync();
        var page = await OpenAsync(workspace);
        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Chat with us" }).ClickAsync();
        await page.GetByLabel("Write a message…").FillAsync("Hi! Do you ship to Austria?");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator(".msg.visitor:not(.pending)", new() { HasText = "Do you ship to Austria?" }).WaitForAsync();

        var team = app.CreateManagementClient(workspace.AdminKey);
        var conversation = (await (await team.GetAsync("/v1/conversations")).ReadJsonAsync()).GetProperty("data")[0];
        var conversationId = conversation.GetProperty("id").GetString();
        var reply = await team.PostAsync($"/v1/conversations/{conversationId}/messages", Json.Body(new { body = "We do! Delivery takes 2–3 days." }));
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);

        // The long poll is already waiting (20 s): the reply is on screen well before that, so the poll was woken
        // (8 s, not the 2 s it takes on a quiet machine: CI's two busy cores once took longer).
        await page.Locator(".msg.team", new() { HasText = "Delivery takes 2–3 days." }).WaitForAsync(new() { Timeout = 8_000 });
        await ShotAsync(page, "messenger");
        var stored = (await (await team.GetAsync($"/v1/conversations/{conversationId}")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal("open", stored.GetProperty("conversation").GetProperty("status").GetString());
        Assert.Contains(stored.GetProperty("messages").EnumerateArray(), m => m.GetProperty("body").GetString() == "Hi! Do you ship to Austria?");
    }

    [Fact]
    public async Task A_submit_that_first_gets_503_is_retried_and_stored_once()
    {
        var workspace = await WidgetAsync(new { modules = new { feedback = new { screenshots = false } } });
        var page = await OpenAsync(workspace);
        var attempts = new List<string?>();
        await page.RouteAsync("**/v1/widget/submit", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            attempts.Add(await route.Request.HeaderValueAsync("idempotency-key"));
            if (attempts.Count > 1)
            {
                await route.ContinueAsync();
                return;
            }
            // The first attempt reaches the app and is stored, but its answer is lost to a 503.
            await route.FetchAsync();
            await route.FulfillAsync(new RouteFulfillOptions
            {
                Status = 503,
                ContentType = "application/json",
                Headers = new Dictionary<string, string>
                {
                    ["Retry-After"] = "1",
                    ["Access-Control-Allow-Origin"] = app.DemoOrigin,
                    ["Access-Control-Expose-Headers"] = "Retry-After",
                },
                Body = """{"data":null,"meta":{"request_id":"req_test","error":{"code":"storage_unavailable","message":"Try again."}}}""",
            });
        });

        await Launcher(page).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Report a problem or idea" }).ClickAsync();
        await page.GetByLabel("Idea", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Details").FillAsync("A decaf option would be lovely.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.GetByText("Got it!").First.WaitForAsync();
        await ShotAsync(page, "retried-submit");
        var feedbackId = await page.Locator("#trackelio-panel").GetAttributeAsync("data-feedback-id");

        await app.WaitForFeedbackAsync(workspace.WorkspaceId, feedbackId!);
        var list = await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/feedback")).ReadJsonAsync();

        Assert.Equal(2, attempts.Count);
        Assert.False(string.IsNullOrEmpty(attempts[0]));
        Assert.Equal(attempts[0], attempts[1]);
        Assert.Equal(1, list.GetProperty("meta").GetProperty("total").GetInt32());
        Assert.Equal(feedbackId, list.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("idea", list.GetProperty("data")[0].GetProperty("item_type").GetString());
    }

    [Fact]
    public async Task A_page_that_rewrites_its_address_four_times_a_second_is_read_again_at_most_every_5_seconds_and_for_its_last_address()
    {
        var workspace = await WidgetAsync();
        var page = await OpenAsync(workspace, path: "/watch");
        await page.Locator("#trackelio-widget[data-loaded=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var reads = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/v1/widget/announcements?", StringComparison.Ordinal)) { lock (reads) { reads.Add(Uri.UnescapeDataString(request.Url)); } }
        };

        // A player writing its position into the address: 24 addresses in 6 s.
        var watching = Stopwatch.StartNew();
        await page.EvaluateAsync("""
            () => new Promise(done => {
              let t = 0;
              const id = setInterval(() => { history.replaceState({}, '', '/watch?t=' + (++t)); if (t === 24) { clearInterval(id); done(); } }, 250);
            })
            """);
        while (!ReadsOf("/watch?t=24"))
        {
            Assert.True(watching.Elapsed < TimeSpan.FromSeconds(30), "the last address was not read");
            await Task.Delay(100);
        }
        watching.Stop();

        // Reads at least 5 s apart: no more in the time it took than one per 5 s and the first (before it, 6 or more).
        // A request the widget sends again after a network error is the same read (the same address).
        lock (reads)
        {
            Assert.InRange(reads.Distinct().Count(), 1, (int)(watching.Elapsed.TotalSeconds / 5) + 1);
        }
        bool ReadsOf(string address) { lock (reads) { return reads.Exists(url => url.Contains(address, StringComparison.Ordinal)); } }
    }

    // ---------- helpers ----------

    /// <summary>A workspace whose widget allows the demo origin and has every module on, plus any change.</summary>
    private async Task<BootstrapResult> WidgetAsync(object? change = null)
    {
        var workspace = await app.Get<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest
        {
            WorkspaceName = "Northwind " + Guid.NewGuid().ToString("N")[..8],
            OwnerEmail = $"maya-{Guid.NewGuid():N}@northwind.example",
            OwnerName = "Maya from Northwind",
            AllowedOrigins = [app.DemoOrigin],
        });
        var team = app.CreateManagementClient(workspace.AdminKey);
        var everything = new
        {
            modules = new
            {
                feedback = new { enabled = true, screenshots = true, console_capture = true, network_capture = true },
                nps = new { enabled = true },
                csat = new { enabled = true },
                surveys = new { enabled = true },
                messenger = new { enabled = true },
                announcements = new { enabled = true },
            },
        };
        foreach (var patch in change is null ? [everything] : new[] { everything, change })
        {
            var response = await team.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(patch));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        return workspace;
    }

    private static async Task<string> CreateLiveAsync(HttpClient team, string path, object definition)
    {
        var created = await team.PostAsync(path, Json.Body(definition));
        var body = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("data").GetProperty("id").GetString()!;
        var published = await team.PostAsync($"{path}/{id}/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        return id;
    }

    private async Task<IPage> OpenAsync(BootstrapResult workspace, string path = "/shop", string? origin = null)
    {
        var page = await _context.NewPageAsync();
        page.Console += (_, message) => { lock (_pageConsole) { _pageConsole.Add(message.Text); } };
        await page.GotoAsync(app.DemoPage(workspace.ProjectKey, path, origin));
        return page;
    }

    private static ILocator Launcher(IPage page) => page.Locator(".launcher");

    /// <summary>The window properties the snippet adds, compared with the same page without a key (where the script does nothing).</summary>
    private async Task<string[]> NewGlobalsAsync(IPage withWidget)
    {
        const string Globals = "() => Object.getOwnPropertyNames(window)";
        var after = await withWidget.EvaluateAsync<string[]>(Globals);
        var bare = await _context.NewPageAsync();
        await bare.GotoAsync(app.DemoPage("", origin: app.DemoOrigin));
        var before = await bare.EvaluateAsync<string[]>(Globals);
        return after.Except(before).ToArray();
    }

    private void AssertNoPolicyViolations()
    {
        lock (_pageConsole)
        {
            Assert.DoesNotContain(_pageConsole, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The open widget and a strip of the page around it, on the launcher's side.</summary>
    private static async Task ShotAsync(IPage page, string name)
    {
        const float Width = 460;
        var viewport = page.ViewportSize!;
        var launcher = await Launcher(page).BoundingBoxAsync();
        var left = launcher is not null && launcher.X < viewport.Width / 2;
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, name + ".png"),
            Animations = ScreenshotAnimations.Disabled,
            Clip = new Clip { X = left ? 0 : viewport.Width - Width, Y = 0, Width = Width, Height = viewport.Height },
        });
    }
}
