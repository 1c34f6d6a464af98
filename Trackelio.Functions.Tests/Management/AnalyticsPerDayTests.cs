using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// <c>GET /v1/analytics/summary?group_by=day</c>: UTC calendar days, the first and last cut to the period, every
/// day present (an empty one with zero and nulls, as an empty week or month is), each with the figures a week has
/// — and summed from the same per-day reads as a week, so 91 day buckets cost the storage requests of 13 or 14 weeks.
/// The app's clock is set (yesterday 10:30 UTC, so the days before yesterday are closed and read from their stored
/// tallies, the period's first and last day live) and its storage requests are logged by a proxy.
/// </summary>
public sealed class AnalyticsPerDayTests(LoggedClockApp app, ITestOutputHelper output) : IClassFixture<LoggedClockApp>
{
    /// <summary>The app's now: yesterday 10:30 UTC.</summary>
    private static DateTimeOffset Now => new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddHours(-13.5);

    [Fact]
    public async Task Day_buckets_are_utc_days_cut_to_the_period_empty_days_included_and_add_up_to_the_weeks()
    {
        var now = Now;
        app.Clock.Set(now);
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var from = now.AddDays(-7); // 10:30, eight days ago
        var midnight = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero).AddDays(1); // the first whole day
        await AddFeedbackAsync(workspace, from.AddMilliseconds(-1), rating: 1); // just before the period
        await AddFeedbackAsync(workspace, from, rating: 5); // the period's first instant
        await AddFeedbackAsync(workspace, midnight.AddMilliseconds(-1), rating: 3); // the first (partial) day's last
        await AddFeedbackAsync(workspace, midnight, rating: 4, resolvedAfterHours: 5); // the first whole day's first
        await AddFeedbackAsync(workspace, midnight.AddDays(2).AddHours(12), itemType: "bug");
        await AddFeedbackAsync(workspace, midnight.AddDays(2).AddHours(13), rating: 1, resolvedAfterHours: 2);
        await AddFeedbackAsync(workspace, now.AddMilliseconds(-1)); // the last (partial, open) day's last
        await AddFeedbackAsync(workspace, now, rating: 1); // now: after the period
        await AddScoreAsync(workspace, "csat", 4, midnight.AddHours(-1));
        await AddScoreAsync(workspace, "nps", 10, midnight.AddDays(2).AddHours(8));
        await AddScoreAsync(workspace, "nps", 3, now.AddHours(-2));

        var perDay = await SummaryAsync(client, "7d", "day");
        var perWeek = await SummaryAsync(client, "7d", "week");

        var totals = perDay.GetProperty("totals");
        var days = perDay.GetProperty("buckets").EnumerateArray().ToList();
        Assert.Equal("day", perDay.GetProperty("group_by").GetString());
        Assert.Equal((from, now), (totals.GetProperty("from").GetDateTimeOffset(), totals.GetProperty("to").GetDateTimeOffset()));
        Assert.Equal([(from, midnight), .. Enumerable.Range(0, 6).Select(d => (midnight.AddDays(d), midnight.AddDays(d + 1))), (midnight.AddDays(6), now)],
            days.Select(b => (b.GetProperty("from").GetDateTimeOffset(), b.GetProperty("to").GetDateTimeOffset())));
        Assert.Equal([2, 1, 0, 2, 0, 0, 0, 1], days.Select(b => b.GetProperty("total_submissions").GetInt32()));
        Assert.Equal([4.0, 4.0, null, 1.0, null, null, null, null], days.Select(b => Number(b, "average_rating")));
        Assert.Equal([0.0, 1.0, null, 0.5, null, null, null, 0.0], days.Select(b => Number(b, "response_rate")));
        Assert.Equal([null, 5.0, null, 2.0, null, null, null, null], days.Select(b => Number(b, "median_time_to_resolve_hours")));
        Assert.Equal([null, null, null, 100.0, null, null, null, -100.0], days.Select(b => Number(b, "nps_score")));
        Assert.Equal([4.0, null, null, null, null, null, null, null], days.Select(b => Number(b, "csat_average")));
        Assert.Equal(new Dictionary<string, int> { ["new"] = 1, ["resolved"] = 1 }, Counts(days[3], "by_status"));
        Assert.Equal(new Dictionary<string, int> { ["bug"] = 1, ["none"] = 1 }, Counts(days[3], "by_item_type"));
        foreach (var empty in new[] { days[2], days[4], days[5], days[6] })
        {
            Assert.Empty(Counts(empty, "by_status"));
            Assert.Empty(Counts(empty, "by_item_type"));
        }
        Assert.Equal(6, totals.GetProperty("total_submissions").GetInt32());
        Assert.Equal(0.0, Number(totals, "nps_score"));

        // The same totals as per week, and each week is the sum of its days.
        Assert.True(JsonElement.DeepEquals(totals, perWeek.GetProperty("totals")), $"{totals}\n{perWeek.GetProperty("totals")}");
        foreach (var week in perWeek.GetProperty("buckets").EnumerateArray())
        {
            var (start, end) = (week.GetProperty("from").GetDateTimeOffset(), week.GetProperty("to").GetDateTimeOffset());
            var itsDays = days.Where(d => d.GetProperty("from").GetDateTimeOffset() >= start && d.GetProperty("to").GetDateTimeOffset() <= end).ToList();
            Assert.Equal(end - start, itsDays.Aggregate(TimeSpan.Zero, (sum, d) => sum + (d.GetProperty("to").GetDateTimeOffset() - d.GetProperty("from").GetDateTimeOffset())));
            Assert.Equal(week.GetProperty("total_submissions").GetInt32(), itsDays.Sum(d => d.GetProperty("total_submissions").GetInt32()));
            foreach (var status in new[] { "new", "resolved" })
            {
                Assert.Equal(Count(week, status), itsDays.Sum(d => Count(d, status)));
            }
        }
    }

    [Fact]
    public async Task An_unknown_grouping_is_refused_naming_group_by()
    {
        app.Clock.Set(Now);
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);

        foreach (var groupBy in new[] { "hour", "DAY", "days", "week,day" })
        {
            var error = await (await client.GetAsync($"/v1/analytics/summary?period=30d&group_by={groupBy}")).AssertErrorAsync(400, "validation_failed");

            Assert.Equal(["group_by"], error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
        }
    }

    [Fact]
    public async Task A_summary_per_day_costs_the_storage_requests_of_one_per_week()
    {
        var now = Now;
        app.Clock.Set(now);
        var first = await app.CreateWorkspaceAsync();
        var second = await app.CreateWorkspaceAsync();
        foreach (var workspace in new[] { first, second })
        {
            for (var d = 0; d <= 92; d++)
            {
                await AddFeedbackAsync(workspace, now.AddDays(-d).AddHours(-d % 5), rating: 1 + (d % 5), resolvedAfterHours: d % 3 == 0 ? d : null);
                if (d % 3 == 0)
                {
                    await AddScoreAsync(workspace, d % 2 == 0 ? "nps" : "csat", d % 2 == 0 ? d % 11 : 1 + (d % 5), now.AddDays(-d).AddHours(-1));
                }
            }
        }
        var firstClient = app.CreateManagementClient(first.AdminKey);
        var secondClient = app.CreateManagementClient(second.AdminKey);

        // First read of each (every closed day tallied and stored), then again (every closed day read from its tally).
        var (weekCold, _) = await CountedSummaryAsync(firstClient, "week");
        // One point read's answer lost on the way, as on a busy machine: the SDK retries it, and it still counts once.
        app.Faults.LoseNextResponse(r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains($"/{StorageNames.Tables.Responses}(PartitionKey=", StringComparison.Ordinal));
        var (dayCold, perDay) = await CountedSummaryAsync(secondClient, "day");
        Assert.Equal(1, app.Faults.Lost);
        var (dayWarm, _) = await CountedSummaryAsync(firstClient, "day");
        var (weekWarm, perWeek) = await CountedSummaryAsync(secondClient, "week");
        var (monthWarm, _) = await CountedSummaryAsync(secondClient, "month");
        var (totalsWarm, _) = await CountedSummaryAsync(secondClient, null);

        output.WriteLine($"storage requests (queries, gets, writes) per 90d summary: week cold {weekCold}, day cold {dayCold}; warm: day {dayWarm}, week {weekWarm}, month {monthWarm}, ungrouped {totalsWarm}");
        Assert.Equal(91, perDay.GetProperty("buckets").GetArrayLength());
        Assert.InRange(perWeek.GetProperty("buckets").GetArrayLength(), 13, 14);
        Assert.Equal(weekCold, dayCold);
        Assert.Equal(weekWarm, dayWarm);
        Assert.Equal(weekWarm, monthWarm);
        Assert.Equal(weekWarm, totalsWarm);
        Assert.Equal(0, dayWarm.Writes);
        Assert.InRange(dayWarm.Queries + dayWarm.Gets, 1, 10);
        Assert.True(JsonElement.DeepEquals(perDay.GetProperty("totals"), perWeek.GetProperty("totals")), $"{perDay.GetProperty("totals")}\n{perWeek.GetProperty("totals")}");
    }

    /// <summary>The summary and the requests it made to the feedback and responses tables.</summary>
    private async Task<((int Queries, int Gets, int Writes) Requests, JsonElement Summary)> CountedSummaryAsync(HttpClient client, string? groupBy)
    {
        var mark = app.Storage.Count;
        var summary = await SummaryAsync(client, "90d", groupBy);
        var feedback = app.Storage.To(StorageNames.Tables.Feedback, mark);
        var responses = app.Storage.To(StorageNames.Tables.Responses, mark);
        return ((feedback.Queries + responses.Queries, feedback.Gets + responses.Gets, feedback.Writes + responses.Writes), summary);
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient client, string period, string? groupBy)
    {
        var response = await client.GetAsync($"/v1/analytics/summary?period={period}" + (groupBy is null ? "" : $"&group_by={groupBy}"));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data");
    }

    /// <summary>A record created at <paramref name="at"/>, stored as the app stores one (with its figures' columns).</summary>
    private async Task AddFeedbackAsync(BootstrapResult workspace, DateTimeOffset at, int? rating = null, string? itemType = null, double? resolvedAfterHours = null)
    {
        Assert.True(await app.Get<IFeedbackStore>().CreateAsync(new FeedbackRecord
        {
            Id = Ids.New(Ids.Feedback, at),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Source = "api",
            Body = "at " + at.ToString("O"),
            ItemType = itemType,
            Rating = rating,
            Status = resolvedAfterHours is null ? "new" : "resolved",
            TeamActedAt = resolvedAfterHours is { } acted ? at.AddHours(acted) : null,
            ResolvedAt = resolvedAfterHours is { } hours ? at.AddHours(hours) : null,
            CreatedAt = at,
            UpdatedAt = at,
        }));
    }

    private async Task AddScoreAsync(BootstrapResult workspace, string kind, int score, DateTimeOffset at) =>
        Assert.True(await app.Get<IResponseStore>().CreateAsync(new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Kind = kind,
            Score = score,
            Category = kind == "nps" ? ResponseRecord.NpsCategory(score) : null,
            CreatedAt = at,
        }));

    private static double? Number(JsonElement figures, string name) =>
        figures.GetProperty(name).ValueKind == JsonValueKind.Null ? null : figures.GetProperty(name).GetDouble();

    private static Dictionary<string, int> Counts(JsonElement figures, string name) =>
        figures.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static int Count(JsonElement figures, string status) =>
        figures.GetProperty("by_status").TryGetProperty(status, out var n) ? n.GetInt32() : 0;
}
