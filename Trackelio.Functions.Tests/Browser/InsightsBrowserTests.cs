using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The dashboard's insights view in a real browser: a workspace gets feedback from the widget and the API, NPS and
/// CSAT answers and a survey's answers through the app's endpoints; the view draws its charts, and the tables that
/// carry the charts' numbers say what <c>GET /v1/analytics/summary</c> and the survey's results say, in English and
/// in German, usable by keyboard, without a serious accessibility violation or anything the page's policy refuses.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class InsightsBrowserTests(DashboardFixture app)
{
    private const string Question = "What brings you here today?";

    [Fact]
    public async Task The_insights_view_charts_the_summary_and_its_tables_say_the_apis_numbers()
    {
        var (workspace, team) = await SeedAsync();
        var perDay = await DashboardPages.Data(await team.GetAsync("/v1/analytics/summary?period=30d&group_by=day"));
        var summary = await DashboardPages.Data(await team.GetAsync("/v1/analytics/summary?period=30d&group_by=week"));
        Assert.Equal(4, summary.GetProperty("totals").GetProperty("total_submissions").GetInt32());
        Assert.Equal(33.3, summary.GetProperty("totals").GetProperty("nps_score").GetDouble());
        Assert.Equal(4.5, summary.GetProperty("totals").GetProperty("csat_average").GetDouble());
        var policy = new List<string>();
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/insights");
        page.Console += (_, message) => { lock (policy) { policy.Add(message.Text); } };
        await page.ReloadAsync(); // signed in (the key is in the tab's session storage), now with every message heard

        await page.GetByRole(AriaRole.Heading, new() { Name = "Insights", Level = 1 }).WaitForAsync();
        await page.Locator("canvas[role=img]").First.WaitForAsync();
        await page.GetByRole(AriaRole.Table, new() { Name = $"Answers to “{Question}”" }).WaitForAsync();

        // The last 30 days are shown per day until another grouping is chosen: a row per UTC day, empty days too.
        Assert.True(await page.Locator("main canvas[role=img][aria-label]").CountAsync() >= 7, "six charts over time and one of the survey's answers");
        Assert.Equal("day", await page.GetByLabel(new Regex(@"^Per\b")).InputValueAsync());
        var days = perDay.GetProperty("buckets").EnumerateArray().ToList();
        Assert.InRange(days.Count, 30, 31);
        var submissionsPerDay = await TableAsync(page, "Submissions per day (Last 30 days)");
        Assert.Equal([.. days.Select(b => Day(b)), "Whole period"], submissionsPerDay.Select(r => r[0]));
        Assert.Equal([.. days.Select(b => Count(b, "total_submissions")), Count(perDay.GetProperty("totals"), "total_submissions")], submissionsPerDay.Select(r => r[1]));
        Assert.Equal([.. days.Select(b => Decimal(b, "nps_score")), Decimal(perDay.GetProperty("totals"), "nps_score")], (await TableAsync(page, "NPS score (Last 30 days)")).Select(r => r[1]));
        Assert.Equal(["Whole period", "4"], submissionsPerDay[^1]);
        Assert.Equal([Day(days[^1]), "4"], submissionsPerDay[^2]); // today

        await page.GetByLabel(new Regex(@"^Per\b")).SelectOptionAsync("week");
        var submissions = await TableAsync(page, "Submissions per week (Last 30 days)");
        var nps = await TableAsync(page, "NPS score (Last 30 days)");
        var csat = await TableAsync(page, "CSAT average (Last 30 days)");
        var buckets = summary.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal([.. buckets.Select(b => Count(b, "total_submissions")), Count(summary.GetProperty("totals"), "total_submissions")], submissions.Select(r => r[1]));
        Assert.Equal([.. buckets.Select(b => Decimal(b, "nps_score")), Decimal(summary.GetProperty("totals"), "nps_score")], nps.Select(r => r[1]));
        Assert.Equal([.. buckets.Select(b => Decimal(b, "csat_average")), Decimal(summary.GetProperty("totals"), "csat_average")], csat.Select(r => r[1]));
        Assert.Equal(["Whole period", "4"], submissions[^1]);
        Assert.Equal(["Whole period", "33.3"], nps[^1]);

        var answers = await TableAsync(page, $"Answers to “{Question}”");
        Assert.Equal([["Buying coffee", "1"], ["Looking for a gift", "2"]], answers);
        await page.GetByText("More decaf, please").WaitForAsync();
        await page.GetByText("Average rating: 4.67").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(WidgetBrowserFixture.ScreenshotDirectory, "dashboard-insights.png"), FullPage = true });

        await page.GetByLabel("Language").SelectOptionAsync("de");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Auswertungen", Level = 1 }).WaitForAsync();
        foreach (var heading in new[] { "Auf einen Blick", "Im Zeitverlauf", "Umfrageergebnisse", "Einsendungen pro Woche", "NPS-Wert", "CSAT-Durchschnitt" })
        {
            Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true }).IsVisibleAsync(), heading + " is not a heading");
        }
        Assert.Equal(["Gesamter Zeitraum", "33,3"], (await TableAsync(page, "NPS-Wert (Letzte 30 Tage)"))[^1]);
        await page.GetByLabel(new Regex(@"^Pro\b")).SelectOptionAsync("day");
        await page.GetByRole(AriaRole.Heading, new() { Name = "Einsendungen pro Tag", Exact = true }).WaitForAsync();
        var perDayGerman = await TableAsync(page, "Einsendungen pro Tag (Letzte 30 Tage)");
        Assert.Equal(submissionsPerDay.Select(r => r[1]), perDayGerman.Select(r => r[1]));
        Assert.Equal("Gesamter Zeitraum", perDayGerman[^1][0]);

        lock (policy)
        {
            Assert.True(!policy.Any(m => m.Contains("Content Security Policy", StringComparison.Ordinal)), "the page's policy refused something:\n" + string.Join('\n', policy));
        }

        // The check itself: an inline style attribute, which the policy refuses, is heard.
        await page.EvaluateAsync("() => document.querySelector('main').setAttribute('style', 'outline: 1px solid red')");
        for (var i = 0; i < 50 && !HeardViolation(); i++)
        {
            await Task.Delay(100);
        }
        Assert.True(HeardViolation(), "a planted inline style was not reported:\n" + string.Join('\n', policy));

        bool HeardViolation()
        {
            lock (policy)
            {
                return policy.Any(m => m.Contains("Content Security Policy", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task The_insights_view_works_by_keyboard_says_when_nothing_came_in_and_passes_axe()
    {
        var (workspace, _) = await SeedAsync();
        var empty = await app.CreateWorkspaceAsync();
        var page = await DashboardPages.SignInWithKeyAsync(app, workspace.AdminKey, "/app/insights", bypassCsp: true);
        await page.Locator("canvas[role=img]").First.WaitForAsync();
        await page.GetByRole(AriaRole.Table, new() { Name = $"Answers to “{Question}”" }).WaitForAsync();
        var problems = await DashboardPages.AxeAsync(page, "insights");

        // By keyboard only: to the period, a longer one; to the tables' switch, on.
        var period = page.GetByLabel("Period");
        for (var i = 0; i < 20 && !await period.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }
        await page.Keyboard.PressAsync("ArrowDown");
        await page.GetByRole(AriaRole.Table, new() { Name = "Submissions per week (Last 90 days)" }).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Space");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Submissions per week (Last 90 days)" });
        await table.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        Assert.True((await table.BoundingBoxAsync())!.Width > 100, "the tables show when asked for");
        problems.AddRange(await DashboardPages.AxeAsync(page, "insights with its tables"));
        Assert.True(problems.Count == 0, "axe-core found serious or critical violations:\n" + string.Join('\n', problems));

        var emptyPage = await DashboardPages.SignInWithKeyAsync(app, empty.AdminKey, "/app/insights");
        await emptyPage.GetByText("Nothing came in during this period").WaitForAsync();
        await emptyPage.GetByText("No surveys yet.").WaitForAsync();
        Assert.Equal(0, await emptyPage.Locator("canvas").CountAsync());
    }

    /// <summary>
    /// Through the app's endpoints: two widget bugs (one resolved), two API entries rated 4 and 5, NPS 10, 9 and 3
    /// (NPS 33.3), CSAT 4 and 5, and a live survey answered twice.
    /// </summary>
    private async Task<(BootstrapResult Workspace, HttpClient Team)> SeedAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var team = app.CreateManagementClient(workspace.AdminKey);
        await DashboardPages.Data(await team.PatchAsync($"/v1/widgets/{workspace.WidgetId}", Json.Body(new
        {
            modules = new { feedback = new { enabled = true }, nps = new { enabled = true }, csat = new { enabled = true }, surveys = new { enabled = true } },
        })));
        var widget = app.CreateClient();
        var bugs = new List<string>();
        foreach (var title in new[] { "Pay now does nothing", "Search finds nothing" })
        {
            var submitted = await DashboardPages.Data(await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { title, description = title + ".", item_type = "bug" })));
            bugs.Add(submitted.GetProperty("id").GetString()!);
        }
        foreach (var id in bugs)
        {
            await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        }
        await DashboardPages.Data(await team.PatchAsync($"/v1/feedback/{bugs[0]}", Json.Body(new { status = "resolved" })));
        foreach (var rating in new[] { 4, 5 })
        {
            await DashboardPages.Data(await team.PostAsync("/v1/feedback", Json.Body(new { body = $"Rated {rating}", rating })));
        }
        foreach (var (score, session) in new[] { (10, "a"), (9, "b"), (3, "c") })
        {
            await DashboardPages.Data(await widget.SendAsync(WidgetPost(workspace, "/v1/widget/nps", new { score, session_token = session })));
        }
        foreach (var rating in new[] { 4, 5 })
        {
            await DashboardPages.Data(await widget.SendAsync(WidgetPost(workspace, "/v1/widget/csat", new { rating })));
        }

        var created = await DashboardPages.Data(await team.PostAsync("/v1/surveys", Json.Body(new
        {
            name = "Checkout survey",
            default_language = "en",
            questions = new object[]
            {
                new { id = "reason", type = "single_choice", required = true, title = new { en = Question, de = "Was führt Sie heute zu uns?" },
                    options = new[] { new { id = "buy", label = new { en = "Buying coffee", de = "Kaffee kaufen" } }, new { id = "gift", label = new { en = "Looking for a gift", de = "Ein Geschenk suchen" } } } },
                new { id = "ease", type = "rating", required = true, min = 1, max = 5, title = new { en = "How easy was checkout?", de = "Wie einfach war der Kauf?" } },
                new { id = "more", type = "text", required = false, title = new { en = "Anything we could do better?", de = "Was können wir besser machen?" } },
            },
        })));
        var surveyId = created.GetProperty("id").GetString()!;
        await DashboardPages.Data(await team.PostAsync($"/v1/surveys/{surveyId}/publish", null));
        foreach (var (reason, ease, more, session) in new[] { ("gift", 4, "More decaf, please", "s-1"), ("buy", 5, (string?)null, "s-2"), ("gift", 5, "Gift wrapping!", "s-3") })
        {
            var answers = new List<object> { new { question_id = "reason", value = reason }, new { question_id = "ease", value = ease } };
            if (more is not null)
            {
                answers.Add(new { question_id = "more", value = more });
            }
            var answered = await widget.SendAsync(WidgetPost(workspace, "/v1/widget/survey/respond", new { survey_id = surveyId, session_token = session, answers }));
            Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        }
        return (workspace, team);
    }

    private static HttpRequestMessage WidgetPost(BootstrapResult workspace, string path, object body) => new(HttpMethod.Post, path)
    {
        Content = Json.Body(body),
        Headers = { { "X-Project-Key", workspace.ProjectKey } },
    };

    /// <summary>A table's rows (body and foot), each as its header cell's and value cell's text.</summary>
    private static async Task<List<string[]>> TableAsync(IPage page, string caption) =>
        [.. await page.GetByRole(AriaRole.Table, new() { Name = caption, Exact = true }).EvaluateAsync<string[][]>(
            "t => [...t.querySelectorAll('tbody tr, tfoot tr')].map(r => [...r.cells].map(c => c.textContent.trim()))")];

    /// <summary>A day bucket's row header as the English table says it: "Dec 1, 2026" (UTC; the first day's bucket starts mid-day).</summary>
    private static string Day(JsonElement bucket) => bucket.GetProperty("from").GetDateTimeOffset().UtcDateTime.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    private static string Count(JsonElement figures, string name) => figures.GetProperty(name).GetInt32().ToString(CultureInfo.InvariantCulture);

    private static string Decimal(JsonElement figures, string name) =>
        figures.GetProperty(name).ValueKind == JsonValueKind.Null ? "—" : figures.GetProperty(name).GetDouble().ToString("0.##", CultureInfo.InvariantCulture);
}
