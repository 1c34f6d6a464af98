using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// Settings → widgets in a real browser, against the demo shop that embeds the widget on a second origin: a member
/// sees the unsaved theme in the live preview (the real widget script, framed), saves it and the demo page's widget
/// shows it within 15 s of the save; pauses the widget with a reason (the demo page's widget then stays away and its
/// writes are refused) and resumes it; a viewer sees the settings without a way to change them; axe-core finds no
/// serious or critical violation on the list or a widget's page.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class WidgetSettingsBrowserTests(DashboardFixture app)
{
    /// <summary>The contract: a saved change reaches the widget on every page view that starts this long after the save.</summary>
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(15);

    private const string DefaultPrimary = "rgb(79, 70, 229)"; // #4f46e5
    private const string NewPrimary = "rgb(15, 118, 110)"; // #0f766e
    private const string PreviewTitle = "Preview of the widget with the unsaved settings";

    [Fact]
    public async Task A_member_sees_the_draft_theme_in_the_preview_and_the_demo_pages_widget_within_15_seconds_of_saving()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var editorKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var demo = await app.Browser.NewPageAsync();
        await demo.GotoAsync(app.Demo.Page(workspace.ProjectKey));
        await Assertions.Expect(demo.Locator(".launcher")).ToHaveCSSAsync("background-color", DefaultPrimary);

        var page = await DashboardPages.SignInWithKeyAsync(app, editorKey, "/app/settings/widgets");
        var policyViolations = new List<string>();
        page.Console += (_, message) => { lock (policyViolations) { if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) { policyViolations.Add(message.Text); } } };
        await page.GetByRole(AriaRole.Link, new() { Name = "Website" }).ClickAsync();
        var previewLauncher = page.FrameLocator($"iframe[title='{PreviewTitle}']").Locator(".launcher");
        await Assertions.Expect(previewLauncher).ToHaveCSSAsync("background-color", DefaultPrimary);

        // What the API refuses is shown in its words, with the field.
        await page.GetByLabel("Primary colour (hex)").FillAsync("#12345");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("theme.primary_color must be a hex colour");

        // The draft: the preview shows it, nothing is stored yet.
        await page.GetByLabel("Primary colour (hex)").FillAsync("#0f766e");
        await Assertions.Expect(previewLauncher).ToHaveCSSAsync("background-color", NewPrimary);
        // A frame the browser reloads starts empty: it gets the draft again when its widget says it listens.
        var previewFrame = page.Frames.Single(frame => frame.Url.EndsWith("/app/widget-preview", StringComparison.Ordinal));
        var reloaded = new TaskCompletionSource();
        void OnNavigated(object? sender, IFrame frame) { if (frame == previewFrame) { reloaded.TrySetResult(); } }
        page.FrameNavigated += OnNavigated;
        await previewFrame.EvaluateAsync("() => { setTimeout(() => location.reload()); }"); // after the answer, which a reload would cut off
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(15));
        page.FrameNavigated -= OnNavigated;
        await Assertions.Expect(previewLauncher).ToHaveCSSAsync("background-color", NewPrimary);
        var beforeSaving = await DashboardPages.Data(await admin.GetAsync($"/v1/widgets/{workspace.WidgetId}"));
        Assert.Equal("#4f46e5", beforeSaving.GetProperty("theme").GetProperty("primary_color").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        var saved = Stopwatch.StartNew();
        await page.GetByText("Saved.", new() { Exact = false }).WaitForAsync();

        // The page already open gets the new config at its next page view (reload), the browser's HTTP cache and all;
        // a page opened now as well. Both within 15 s of the save.
        var reloads = 0;
        while (await demo.Locator(".launcher").EvaluateAsync<string>("el => getComputedStyle(el).backgroundColor") != NewPrimary)
        {
            Assert.True(saved.Elapsed < Promise, $"the open demo page still showed the old colour {saved.Elapsed.TotalSeconds:0.0} s after the save ({reloads} reloads)");
            await Task.Delay(500);
            await demo.ReloadAsync();
            reloads++;
        }
        var fresh = await app.Browser.NewPageAsync();
        await fresh.GotoAsync(app.Demo.Page(workspace.ProjectKey));
        await Assertions.Expect(fresh.Locator(".launcher")).ToHaveCSSAsync("background-color", NewPrimary);
        Assert.True(saved.Elapsed < Promise, $"a demo page opened after the save showed the new colour only {saved.Elapsed.TotalSeconds:0.0} s after it");

        var stored = await DashboardPages.Data(await admin.GetAsync($"/v1/widgets/{workspace.WidgetId}"));
        Assert.Equal("#0f766e", stored.GetProperty("theme").GetProperty("primary_color").GetString());
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-widget-settings.png"), FullPage = true });
        lock (policyViolations)
        {
            Assert.Empty(policyViolations);
        }
    }

    [Fact]
    public async Task A_member_pauses_the_widget_with_a_reason_the_demo_pages_widget_stays_away_and_comes_back_on_resume()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var editorKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Editor);
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var page = await DashboardPages.SignInWithKeyAsync(app, editorKey, "/app/settings/widgets/" + workspace.WidgetId);

        // Keyboard only: type the reason, then the button by the keyboard.
        await page.GetByLabel("Reason").FocusAsync();
        await page.Keyboard.TypeAsync("Shop relaunch tonight");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause the widget" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the widget" }).WaitForAsync();
        await page.GetByText("Shop relaunch tonight").First.WaitForAsync();
        var paused = await DashboardPages.Data(await admin.GetAsync($"/v1/widgets/{workspace.WidgetId}"));
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        Assert.Equal("Shop relaunch tonight", paused.GetProperty("pause_reason").GetString());

        // The demo page, per the contract: its config says inactive, the widget shows nothing, a write gets 403 widget_paused.
        var demo = await app.Browser.NewPageAsync();
        Assert.False(await OpenDemoAsync(demo, workspace, until: active => !active));
        await Task.Delay(500); // the script has had its config: it would have drawn the launcher by now
        Assert.Equal(0, await demo.Locator("#trackelio-widget").CountAsync());
        var refused = await demo.EvaluateAsync<string>("""
            async ([api, key]) => {
              const r = await fetch(api + '/v1/widget/submit', { method: 'POST', headers: { 'X-Project-Key': key, 'Content-Type': 'application/json' },
                body: JSON.stringify({ item_type: 'bug', description: 'while paused' }) });
              return r.status + ' ' + (await r.json()).meta.error.code;
            }
            """, new[] { app.BaseUrl, workspace.ProjectKey });
        Assert.Equal("403 widget_paused", refused);

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume the widget" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pause the widget" }).WaitForAsync();
        Assert.True(await OpenDemoAsync(demo, workspace, until: active => active));
        await demo.Locator(".launcher").WaitForAsync();
        var resumed = await DashboardPages.Data(await admin.GetAsync($"/v1/widgets/{workspace.WidgetId}"));
        Assert.Equal("active", resumed.GetProperty("status").GetString());
        Assert.Equal(["created", "paused", "resumed"], resumed.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task A_viewer_sees_the_widgets_settings_but_no_write_controls()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var viewerKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);

        var page = await DashboardPages.SignInWithKeyAsync(app, viewerKey, "/app/settings/widgets");
        await Assertions.Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Website" })).ToContainTextAsync(workspace.ProjectKey);
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Create the widget" }).CountAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Website" }).ClickAsync();

        await page.GetByText("You can read but not change: your role is viewer.").WaitForAsync();
        Assert.True(await page.GetByLabel("Name", new() { Exact = true }).IsDisabledAsync());
        Assert.True(await page.GetByLabel("Primary colour (hex)").IsDisabledAsync());
        foreach (var write in new[] { "Save changes", "Pause the widget", "Resume the widget" })
        {
            Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = write }).CountAsync());
        }
        await page.GetByText($"data-project-key=\"{workspace.ProjectKey}\"").WaitForAsync(); // the install snippet is for everyone
    }

    [Fact]
    public async Task Axe_finds_no_serious_or_critical_accessibility_violation_on_the_widget_list_or_a_widgets_page()
    {
        var workspace = await app.CreateWorkspaceAsync(app.Demo.Origin);
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/settings/widgets", bypassCsp: true);

        await page.GetByRole(AriaRole.Link, new() { Name = "Website" }).WaitForAsync();
        var problems = await DashboardPages.AxeAsync(page, "widget list");
        await page.GetByRole(AriaRole.Link, new() { Name = "Website" }).ClickAsync();
        await page.FrameLocator($"iframe[title='{PreviewTitle}']").Locator(".launcher").WaitForAsync();
        problems.AddRange(await DashboardPages.AxeAsync(page, "widget " + workspace.WidgetId));

        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task The_preview_page_has_its_own_policy_and_only_the_dashboard_may_frame_it()
    {
        var client = app.CreateClient();
        var preview = await client.GetAsync("/app/widget-preview");
        var dashboard = await client.GetAsync("/app/settings/widgets");
        var html = await preview.Content.ReadAsStringAsync();
        var script = await client.GetAsync(System.Text.RegularExpressions.Regex.Match(html, "src=\"([^\"]+)\"").Groups[1].Value);

        var previewPolicy = preview.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'self'", previewPolicy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", previewPolicy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'none'", previewPolicy, StringComparison.Ordinal); // the preview calls no API
        Assert.DoesNotContain("unsafe", previewPolicy, StringComparison.Ordinal);
        Assert.Equal("SAMEORIGIN", preview.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("data-preview", html, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, script.StatusCode); // the widget script, named by its version
        var dashboardPolicy = dashboard.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-src 'self'", dashboardPolicy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", dashboardPolicy, StringComparison.Ordinal);
        Assert.Equal("DENY", dashboard.Headers.GetValues("X-Frame-Options").Single());
    }

    /// <summary>
    /// Opens (or reloads) the demo page until the widget's config it loads says <c>active</c> as <paramref name="until"/>
    /// wants, within <see cref="Promise"/>; the last config's <c>active</c>.
    /// </summary>
    private async Task<bool> OpenDemoAsync(IPage demo, BootstrapResult workspace, Func<bool, bool> until)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            var response = await demo.RunAndWaitForResponseAsync(() => demo.GotoAsync(app.Demo.Page(workspace.ProjectKey)),
                r => r.Url.Contains("/v1/widget/config", StringComparison.Ordinal));
            var active = (await response.JsonAsync())!.Value.GetProperty("data").GetProperty("active").GetBoolean();
            if (until(active) || started.Elapsed > Promise)
            {
                return active;
            }
            await Task.Delay(500);
        }
    }
}
