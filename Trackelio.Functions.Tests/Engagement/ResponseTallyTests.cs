using System.Net;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Engagement;

/// <summary>
/// Survey results and the analytics NPS/CSAT figures come from per-day tallies (ResponseDays): after
/// every step — closed and open days, an erasure, a late write into a closed day, the clock crossing
/// midnight and then the grace — they equal what reading every response from scratch gives (the
/// computation the endpoints made before the tallies, written out here). A closed day's tally is made
/// once and reused: a row removed behind the store's back changes nothing until its day is marked, and
/// a repeated read costs a fixed number of storage requests, counted.
/// </summary>
public sealed class ResponseTallyTests(LoggedClockApp app) : IClassFixture<LoggedClockApp>
{
    private static readonly object Definition = new
    {
        name = "Tallied survey",
        default_language = "en",
        questions = new object[]
        {
            new { id = "reason", type = "single_choice", required = false, title = new { en = "Why?" },
                options = new[] { new { id = "buy", label = new { en = "To buy" } }, new { id = "browse", label = new { en = "Browsing" } }, new { id = "other", label = new { en = "Other" } } } },
            new { id = "features", type = "multiple_choice", required = false, title = new { en = "What do you use?" },
                options = new[] { new { id = "search", label = new { en = "Search" } }, new { id = "wishlist", label = new { en = "Wishlist" } }, new { id = "cart", label = new { en = "Cart" } } } },
            new { id = "why", type = "text", required = false, title = new { en = "Anything else?" } },
            new { id = "ease", type = "rating", required = false, min = 1, max = 7, title = new { en = "How easy?" } },
            new { id = "recommend", type = "nps", required = false, title = new { en = "Recommend us?" } },
        },
    };

    /// <summary>Noon, 30 days before today: day 0 of each test's history.</summary>
    private static DateTimeOffset Day0 => new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-30).AddHours(12);

    [Fact]
    public async Task Survey_results_equal_a_scan_of_every_response_through_erasure_late_writes_and_midnight()
    {
        var day0 = Day0;
        app.Clock.Set(day0);
        var (workspace, client, surveyId) = await LiveSurveyAsync();
        var n = 0;
        for (var d = 0; d <= 5; d++)
        {
            for (var k = 0; k < 8; k++)
            {
                await AddSurveyResponseAsync(workspace, surveyId, n++, day0.AddDays(d).AddHours(-11).AddMinutes(k * 170));
            }
        }
        app.Clock.Set(day0.AddDays(5).AddHours(10)); // day 5 is today: days −1…4 are closed

        await AssertSurveyResultsAsync(client, workspace, surveyId);
        Assert.Equal(6, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyPrefix + surveyId + "|"));

        // Reused: a row removed behind the store's back (no mark) on a closed day changes nothing, and the
        // read writes nothing and costs a fixed number of requests: tallies, versions, the live day, the texts shown.
        var before = await ResultsAsync(client, surveyId);
        var tallies = await TallyETagsAsync(workspace.WorkspaceId);
        var hidden = (await ScanAsync(workspace, "survey")).First(r => ResponseDays.DayOf(r.Id) == ResponseDays.DayStart(day0.AddDays(2)) && r.Answers.All(a => a.QuestionId != "why"));
        await DeleteBehindTheStoresBackAsync(workspace, hidden.Id);
        var mark = app.Storage.Count;
        var reused = await ResultsAsync(client, surveyId);
        var (queries, gets, writes) = app.Storage.To(StorageNames.Tables.Responses, mark);
        Assert.True(JsonElement.DeepEquals(before, reused), $"{before}\n{reused}");
        Assert.Equal(tallies, await TallyETagsAsync(workspace.WorkspaceId));
        Assert.Equal((3, 0), (queries, writes));
        Assert.InRange(gets, 1, SurveyResultsReader.LatestTexts);

        // An erasure marks the days of what it erases: here the hidden row's day is tallied again and agrees with storage.
        await EraseAsync(client, SameDay(await ScanAsync(workspace, "survey"), hidden).Submitter!.UserId!);
        await EraseAsync(client, "user-3");
        await EraseAsync(client, "user-44");
        await AssertSurveyResultsAsync(client, workspace, surveyId);

        // A late write into a closed, tallied day (a retry storing its first attempt's id): marked in its own transaction.
        await AddSurveyResponseAsync(workspace, surveyId, n++, day0.AddDays(3).AddHours(-2), createdAt: app.Clock.GetUtcNow());
        await AssertSurveyResultsAsync(client, workspace, surveyId);

        // Across midnight: day 5 has ended but is within the grace, so it is read live (no tally), even with a write landing now.
        app.Clock.Set(day0.AddDays(6).AddHours(-12).AddMinutes(5));
        await AddSurveyResponseAsync(workspace, surveyId, n++, day0.AddDays(6).AddHours(-12).AddSeconds(-1));
        await AddSurveyResponseAsync(workspace, surveyId, n++, app.Clock.GetUtcNow());
        await AssertSurveyResultsAsync(client, workspace, surveyId);
        Assert.Equal(0, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyRowKey(surveyId, day0.AddDays(5).AddHours(-12))));

        // After the grace day 5 is closed and tallied on the next read.
        app.Clock.Set(day0.AddDays(6).AddHours(-12).AddMinutes(16));
        await AssertSurveyResultsAsync(client, workspace, surveyId);
        Assert.Equal(1, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyRowKey(surveyId, day0.AddDays(5).AddHours(-12))));
        await AssertSurveyResultsAsync(client, workspace, surveyId);
    }

    [Fact]
    public async Task Concurrent_first_reads_and_an_erasure_leave_results_equal_to_a_scan()
    {
        var day0 = Day0;
        app.Clock.Set(day0);
        var (workspace, client, surveyId) = await LiveSurveyAsync();
        for (var i = 0; i < 30; i++)
        {
            await AddSurveyResponseAsync(workspace, surveyId, i, day0.AddHours(i * 7));
        }
        app.Clock.Set(day0.AddDays(10));

        var reads = Enumerable.Range(0, 6).Select(_ => ResultsAsync(client, surveyId)).ToList();
        var erase = EraseAsync(client, "user-5");
        await Task.WhenAll([.. reads, erase]);

        await AssertSurveyResultsAsync(client, workspace, surveyId);
        Assert.Equal(11, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyPrefix + surveyId + "|")); // days −1…9: each tallied once, one row each
    }

    [Fact]
    public async Task Analytics_nps_and_csat_equal_a_scan_per_bucket_through_erasure_late_writes_and_midnight()
    {
        var day0 = Day0;
        app.Clock.Set(day0);
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var n = 0;
        for (var d = -10; d <= 24; d++)
        {
            for (var k = 0; k < 3 + (d & 3); k++)
            {
                await AddScoreAsync(workspace, n++, day0.AddDays(d).AddHours(-11).AddMinutes((k * 190) + d));
            }
        }
        await AddLegacyCsatAsync(workspace, day0.AddDays(3), 9);
        await AddLegacyCsatAsync(workspace, day0.AddDays(24).AddHours(-1), 2);
        app.Clock.Set(day0.AddDays(24).AddHours(9)); // 30 days cover day −6 (partial) to day 24 (today)

        await AssertScoresAsync(client, workspace);
        Assert.True(await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyPrefix + ResponseDays.Scores + "|") >= 29);

        var hidden = (await ScanAsync(workspace, "nps", "csat")).First(r => ResponseDays.DayOf(r.Id) == ResponseDays.DayStart(day0.AddDays(10)));
        var before = await SummaryAsync(client);
        var tallies = await TallyETagsAsync(workspace.WorkspaceId);
        await DeleteBehindTheStoresBackAsync(workspace, hidden.Id);
        var mark = app.Storage.Count;
        var reused = await SummaryAsync(client);
        var (queries, gets, writes) = app.Storage.To(StorageNames.Tables.Responses, mark);
        Assert.True(JsonElement.DeepEquals(before, reused), $"{before}\n{reused}");
        Assert.Equal(tallies, await TallyETagsAsync(workspace.WorkspaceId));
        // Tallies, versions, the partial first day and the open days; one read of the legacy CSAT row of today.
        Assert.Equal((4, 1, 0), (queries, gets, writes));

        await EraseAsync(client, "user-" + (n / 2));
        await EraseAsync(client, SameDay(await ScanAsync(workspace, "nps", "csat"), hidden).Submitter!.UserId!);
        await AssertScoresAsync(client, workspace);

        // A retry storing its first attempt's id days later: its day is marked, its created_at picks the bucket.
        await AddScoreAsync(workspace, n++, day0.AddDays(12), createdAt: app.Clock.GetUtcNow());
        await AddScoreAsync(workspace, n++, day0.AddDays(13), createdAt: app.Clock.GetUtcNow());
        await AssertScoresAsync(client, workspace);

        // Midnight, then the grace.
        app.Clock.Set(day0.AddDays(25).AddHours(-12).AddMinutes(3));
        await AddScoreAsync(workspace, n++, day0.AddDays(25).AddHours(-12).AddMilliseconds(-20));
        await AssertScoresAsync(client, workspace);
        Assert.Equal(0, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyRowKey(ResponseDays.Scores, day0.AddDays(24).AddHours(-12))));
        app.Clock.Set(day0.AddDays(25).AddHours(-12).AddMinutes(15));
        await AssertScoresAsync(client, workspace);
        Assert.Equal(1, await RowsAsync(workspace.WorkspaceId, ResponseDays.TallyRowKey(ResponseDays.Scores, day0.AddDays(24).AddHours(-12))));
    }

    [Fact]
    public async Task Erasing_a_half_erased_response_removes_the_rest_and_still_marks_its_day()
    {
        var day0 = Day0;
        app.Clock.Set(day0);
        var (workspace, client, surveyId) = await LiveSurveyAsync();
        for (var i = 0; i < 6; i++)
        {
            await AddSurveyResponseAsync(workspace, surveyId, i, day0.AddHours(i));
        }
        app.Clock.Set(day0.AddDays(3));
        await AssertSurveyResultsAsync(client, workspace, surveyId); // day 0 tallied

        var half = (await ScanAsync(workspace, "survey")).Single(r => r.Submitter!.UserId == "user-2");
        await app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Responses).DeleteEntityAsync(workspace.WorkspaceId, TimeOrderedTable<ResponseRecord>.DescRowKey(half.Id));
        await EraseAsync(client, "user-2");

        Assert.Null(await app.Get<IResponseStore>().GetAsync(workspace.WorkspaceId, half.Id));
        await AssertSurveyResultsAsync(client, workspace, surveyId);
        Assert.Equal(5, (await ResultsAsync(client, surveyId)).GetProperty("responses").GetInt32());
    }

    [Fact]
    public async Task Answers_given_on_their_own_day_mark_no_day()
    {
        var day0 = Day0;
        app.Clock.Set(day0);
        var (workspace, _, surveyId) = await LiveSurveyAsync();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Set(day0.AddHours(i * 5));
            var response = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/widget/survey/respond")
            {
                Content = Json.Body(new { survey_id = surveyId, answers = new object[] { new { question_id = "reason", value = "buy" } } }),
                Headers = { { "X-Project-Key", workspace.ProjectKey } },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        Assert.Equal(3, (await ScanAsync(workspace, "survey")).Count);
        Assert.Equal(0, await RowsAsync(workspace.WorkspaceId, ResponseDays.DirtyPrefix));
    }

    private async Task<(BootstrapResult Workspace, HttpClient Client, string SurveyId)> LiveSurveyAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var created = await client.PostAsync("/v1/surveys", Json.Body(Definition));
        var body = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/surveys/{id}/publish", null)).StatusCode);
        return (workspace, client, id);
    }

    /// <summary>Response number <paramref name="i"/>: its answers vary with it (some questions skipped), its id is made at <paramref name="at"/>.</summary>
    private async Task AddSurveyResponseAsync(BootstrapResult workspace, string surveyId, int i, DateTimeOffset at, DateTimeOffset? createdAt = null)
    {
        var answers = new List<SurveyAnswer>();
        void Answer(string question, object value) => answers.Add(new SurveyAnswer(question, JsonSerializer.SerializeToElement(value)));
        if (i % 5 != 4)
        {
            Answer("reason", new[] { "buy", "browse", "other" }[i % 3]);
        }
        if (i % 3 != 2)
        {
            Answer("features", new[] { new[] { "search" }, ["wishlist", "cart"], ["cart", "search", "wishlist"], ["cart"] }[i % 4]);
        }
        if (i % 2 == 0)
        {
            Answer("why", $"text number {i}: ünïcode ✓");
        }
        Answer("ease", 1 + (i * 5 % 7));
        if (i % 4 != 1)
        {
            Answer("recommend", i * 7 % 11);
        }
        Assert.True(await app.Get<IResponseStore>().CreateAsync(new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Kind = "survey",
            SurveyId = surveyId,
            Answers = answers,
            Submitter = new Submitter { UserId = "user-" + i },
            CreatedAt = createdAt ?? at,
        }));
    }

    /// <summary>NPS and CSAT on several scales, alternating; the id made at <paramref name="at"/>.</summary>
    private async Task AddScoreAsync(BootstrapResult workspace, int i, DateTimeOffset at, DateTimeOffset? createdAt = null)
    {
        var scale = new int?[] { 5, null, 10, 3, 7 }[i % 5];
        var csat = i % 3 == 1;
        var score = csat ? 1 + (i * 7 % (scale ?? 5)) : i * 5 % 11;
        Assert.True(await app.Get<IResponseStore>().CreateAsync(new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Kind = csat ? "csat" : "nps",
            Score = score,
            Category = csat ? null : ResponseRecord.NpsCategory(score),
            ScaleMax = csat ? scale : null,
            Submitter = new Submitter { UserId = "user-" + i },
            CreatedAt = createdAt ?? at,
        }));
    }

    /// <summary>A CSAT rating on 1–10 stored as responses were before the <c>ScaleMax</c> column: only its document knows the scale.</summary>
    private async Task AddLegacyCsatAsync(BootstrapResult workspace, DateTimeOffset at, int rating)
    {
        var response = new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Kind = "csat",
            Score = rating,
            ScaleMax = 10,
            CreatedAt = at,
        };
        var columns = TableResponseStore.Columns(response).Where(c => c.Key != "ScaleMax").ToDictionary();
        var table = new DocumentTable<ResponseRecord>(app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Responses), TrackelioJson.Options);
        await table.Table.SubmitTransactionAsync([
            new(TableTransactionActionType.Add, table.ToEntity(workspace.WorkspaceId, response.Id, response, columns)),
            new(TableTransactionActionType.Add, table.ToEntity(workspace.WorkspaceId, TimeOrderedTable<ResponseRecord>.DescRowKey(response.Id), response, columns)),
        ]);
    }

    private async Task AssertSurveyResultsAsync(HttpClient client, BootstrapResult workspace, string surveyId)
    {
        var survey = (await app.Get<SurveyStore>().GetAsync(workspace.WorkspaceId, surveyId))!.Value;
        var expected = JsonSerializer.SerializeToElement(FromScratch(survey, await ScanAsync(workspace, "survey")), TrackelioJson.Options);
        var actual = await ResultsAsync(client, surveyId);
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected}\nactual   {actual}");
    }

    /// <summary>Survey results as the endpoint computed them before the tallies, reading every response.</summary>
    private static SurveyResults FromScratch(Survey survey, IReadOnlyList<ResponseRecord> all)
    {
        var answers = all.Where(r => r.SurveyId == survey.Id).ToList();
        var perQuestion = survey.Questions.Select(q =>
        {
            var values = answers.SelectMany(r => r.Answers.Where(a => a.QuestionId == q.Id).Select(a => a.Value)).ToList();
            var numbers = values.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
            return new QuestionResults(q.Id, q.Type, values.Count,
                q.Type is "single_choice" or "multiple_choice"
                    ? q.Options.ToDictionary(o => o.Id, o => values.Count(v => v.ValueKind == JsonValueKind.String ? v.GetString() == o.Id : v.EnumerateArray().Any(c => c.GetString() == o.Id)))
                    : null,
                q.Type == "rating" && numbers.Count > 0 ? Math.Round(numbers.Average(), 2) : null,
                q.Type == "nps" && numbers.Count > 0 ? Math.Round(100.0 * (numbers.Count(n => n >= 9) - numbers.Count(n => n <= 6)) / numbers.Count, 1) : null,
                q.Type == "text" ? values.TakeLast(20).Select(v => v.GetString()!).Reverse().ToList() : null);
        }).ToList();
        return new SurveyResults(survey.Id, answers.Count, perQuestion);
    }

    /// <summary>The summary's NPS score and CSAT average, in total and per bucket, against every response of the period read from scratch.</summary>
    private async Task AssertScoresAsync(HttpClient client, BootstrapResult workspace)
    {
        var summary = await SummaryAsync(client);
        var totals = summary.GetProperty("totals");
        var from = totals.GetProperty("from").GetDateTimeOffset();
        var to = totals.GetProperty("to").GetDateTimeOffset();
        var scores = (await ScanAsync(workspace, "nps", "csat"))
            .Where(r => r.Score is not null && Ids.TimeOf(r.Id) >= from && Ids.TimeOf(r.Id) < to)
            .Select(r => (r.Kind, Value: r.Kind == "csat" && r.ScaleMax is { } max and not 5 ? 1 + ((r.Score!.Value - 1) * 4.0 / (max - 1)) : r.Score!.Value, At: r.CreatedAt))
            .ToList();
        Assert.True(scores.Count > 20, $"{scores.Count} scores in the period");
        void Check(JsonElement figures, IReadOnlyList<(string Kind, double Value, DateTimeOffset At)> part)
        {
            var nps = part.Where(s => s.Kind == "nps").Select(s => s.Value).ToList();
            var csat = part.Where(s => s.Kind == "csat").Select(s => s.Value).ToList();
            double? npsScore = nps.Count == 0 ? null : Math.Round(100.0 * (nps.Count(s => s >= 9) - nps.Count(s => s <= 6)) / nps.Count, 1);
            double? csatAverage = csat.Count == 0 ? null : Math.Round(csat.Average(), 2);
            Assert.Equal(npsScore, figures.GetProperty("nps_score").ValueKind == JsonValueKind.Null ? null : figures.GetProperty("nps_score").GetDouble());
            Assert.Equal(csatAverage, figures.GetProperty("csat_average").ValueKind == JsonValueKind.Null ? null : figures.GetProperty("csat_average").GetDouble());
        }
        Check(totals, scores);
        var buckets = summary.GetProperty("buckets").EnumerateArray().ToList();
        Assert.True(buckets.Count >= 5);
        foreach (var bucket in buckets)
        {
            var (start, end) = (bucket.GetProperty("from").GetDateTimeOffset(), bucket.GetProperty("to").GetDateTimeOffset());
            Check(bucket, scores.Where(s => s.At >= start && s.At < end).ToList());
        }
    }

    private static async Task<JsonElement> ResultsAsync(HttpClient client, string surveyId)
    {
        var response = await client.GetAsync($"/v1/surveys/{surveyId}/results");
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data");
    }

    private static async Task<JsonElement> SummaryAsync(HttpClient client)
    {
        var response = await client.GetAsync("/v1/analytics/summary?period=30d&group_by=week");
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data");
    }

    private static async Task EraseAsync(HttpClient client, string userId)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/privacy/erase") { Content = Json.Body(new { user_id = userId }) }
            .WithHeader("X-Confirm", "true"));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.True(body.GetProperty("data").GetProperty("responses_erased").GetInt32() >= 1, body.ToString());
    }

    private async Task<List<ResponseRecord>> ScanAsync(BootstrapResult workspace, params string[] kinds)
    {
        var all = new List<ResponseRecord>();
        await foreach (var response in app.Get<IResponseStore>().ScanAsync(workspace.WorkspaceId, new ResponseQuery { Kinds = kinds }))
        {
            all.Add(response);
        }
        return all;
    }

    /// <summary>Removes a response's rows without the store (so without marking its day).</summary>
    private async Task DeleteBehindTheStoresBackAsync(BootstrapResult workspace, string responseId)
    {
        var table = app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Responses);
        await table.DeleteEntityAsync(workspace.WorkspaceId, responseId);
        await table.DeleteEntityAsync(workspace.WorkspaceId, TimeOrderedTable<ResponseRecord>.DescRowKey(responseId));
    }

    /// <summary>How many rows of the workspace's partition in table <c>responses</c> start with <paramref name="prefix"/>.</summary>
    private async Task<int> RowsAsync(string workspaceId, string prefix)
    {
        var table = app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Responses);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {prefix} and RowKey lt {prefix + "\uffff"}"), select: ["RowKey"]))
        {
            count++;
        }
        return count;
    }

    /// <summary>Another response whose id is of the same day.</summary>
    private static ResponseRecord SameDay(IEnumerable<ResponseRecord> responses, ResponseRecord other) =>
        responses.First(r => r.Id != other.Id && ResponseDays.DayOf(r.Id) == ResponseDays.DayOf(other.Id));

    /// <summary>The ETag of every stored tally of the workspace: unchanged when no tally was made again.</summary>
    private async Task<string> TallyETagsAsync(string workspaceId)
    {
        var table = app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Responses);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {ResponseDays.TallyPrefix} and RowKey lt {ResponseDays.TallyPrefix + "\uffff"}"), select: ["RowKey"]))
        {
            Assert.False(string.IsNullOrEmpty(row.ETag.ToString()));
            rows.Add(row.RowKey + " " + row.ETag);
        }
        Assert.NotEmpty(rows);
        return string.Join("\n", rows);
    }
}
