using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Surveys;

namespace Trackelio.Bench;

/// <summary>
/// Reads over response history: <c>GET /v1/surveys/{id}/results</c> for a survey with 1,000 responses
/// beside one with 100,000, and <c>GET /v1/analytics/summary</c> (its NPS/CSAT part: the workspaces hold
/// no feedback) for a workspace with 1,000 NPS/CSAT responses beside one with 100,000. Azurite evaluates
/// every table query against every entity of the table, so any query slows as the table grows whatever
/// its partition or key range; both histories are therefore seeded into the one table first and timed
/// side by side at the same table size (alternating calls, the median of the pairs' ratios, after one
/// warm-up call each that makes the closed days' tallies): the ratio shows what our reads do with a history, not what Azurite
/// does with a table. Responses are written straight into storage as the store writes them (both rows
/// per response, 50 responses per entity-group transaction), spread over the last 365 days; the surveys
/// were made 366 days ago.
/// </summary>
internal static class SurveyResultsScaling
{
    public const int Days = 365;

    public static async Task<List<(string Name, double Small, double Large, Stat Ratio)>> RunAsync(BenchEnvironment env, int small, int large, int repetitions)
    {
        var account = StorageAccount.Create(env.StorageConnectionString);
        var (largeWorkspace, largeKey, _) = await env.BootstrapAsync("Large response history");
        var smallSurvey = await AddSurveyAsync(account, env.WorkspaceId, "small");
        var largeSurvey = await AddSurveyAsync(account, largeWorkspace, "large");
        await SeedAsync(account, env.WorkspaceId, smallSurvey, small);
        await SeedAsync(account, largeWorkspace, largeSurvey, large);

        using var smallHttp = Client(env, env.AdminKey);
        using var largeHttp = Client(env, largeKey);
        var table = account.GetTableClient(StorageNames.Tables.Responses);
        var rawFilter = TableClient.CreateQueryFilter($"PartitionKey eq {env.WorkspaceId} and RowKey ge {"rsp_"} and RowKey lt {"rsp`"}");
        const string Summary = "/v1/analytics/summary?period=90d&group_by=month";
        var pairs = new (string Name, Func<Task> Small, Func<Task> Large)[]
        {
            // The yardstick: one raw query of 50 rows, the same for both (it shows what one query costs at this table size).
            ("raw Azurite query: 50 rows of a row-key range", () => table.QueryOnePageAsync(rawFilter, maxPerPage: 50), () => table.QueryOnePageAsync(rawFilter, maxPerPage: 50)),
            ("GET /v1/surveys/{id}/results", () => GetAsync(smallHttp, $"/v1/surveys/{smallSurvey}/results"), () => GetAsync(largeHttp, $"/v1/surveys/{largeSurvey}/results")),
            ("GET /v1/analytics/summary?period=90d&group_by=month (NPS/CSAT)", () => GetAsync(smallHttp, Summary), () => GetAsync(largeHttp, Summary)),
        };
        var result = new List<(string, double, double, Stat)>();
        foreach (var (name, smallCall, largeCall) in pairs)
        {
            var stopwatch = Stopwatch.StartNew();
            await smallCall(); // warm-up: tallies the closed days once
            await largeCall();
            Console.WriteLine($"  {name}: warm-up (the first reads make the closed days' tallies) {stopwatch.Elapsed.TotalSeconds:F1} s");
            var (smallSamples, largeSamples) = (new List<double>(), new List<double>());
            for (var r = 0; r < repetitions; r++)
            {
                smallSamples.Add(await TimeAsync(smallCall));
                largeSamples.Add(await TimeAsync(largeCall));
            }
            // The ratio of each pair of calls made one after the other, so that load from elsewhere on the machine cancels out.
            result.Add((name, Stat.Of(smallSamples).Median, Stat.Of(largeSamples).Median, Stat.Of(largeSamples.Zip(smallSamples, (l, sm) => l / sm).ToList())));
        }
        return result;
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var stopwatch = Stopwatch.StartNew();
        await call();
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static HttpClient Client(BenchEnvironment env, string key)
    {
        var http = new HttpClient { BaseAddress = env.AppUrl, Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<string> AddSurveyAsync(StorageAccount account, string workspaceId, string name)
    {
        var at = DateTimeOffset.UtcNow.AddDays(-Days - 1);
        IReadOnlyDictionary<string, string> Text(string text) => new Dictionary<string, string> { ["en"] = text };
        var survey = new Survey
        {
            Id = Ids.New(Ids.Survey, at),
            WorkspaceId = workspaceId,
            Name = "Bench survey " + name,
            Status = "live",
            CreatedAt = at,
            UpdatedAt = at,
            PublishedAt = at,
            Questions =
            [
                new SurveyQuestion { Id = "reason", Type = "single_choice", Title = Text("Why?"), Options = [new("buy", Text("To buy")), new("browse", Text("Browsing")), new("other", Text("Other"))] },
                new SurveyQuestion { Id = "features", Type = "multiple_choice", Title = Text("What do you use?"), Options = [new("search", Text("Search")), new("wishlist", Text("Wishlist")), new("cart", Text("Cart"))] },
                new SurveyQuestion { Id = "why", Type = "text", Title = Text("Anything else?") },
                new SurveyQuestion { Id = "ease", Type = "rating", Min = 1, Max = 5, Title = Text("How easy?") },
                new SurveyQuestion { Id = "recommend", Type = "nps", Title = Text("Recommend us?") },
            ],
        };
        await new SurveyStore(account, new MemoryCache(new MemoryCacheOptions())).AddAsync(survey);
        return survey.Id;
    }

    /// <summary><paramref name="count"/> survey responses and as many NPS/CSAT responses, spread over the last <see cref="Days"/> days.</summary>
    private static async Task SeedAsync(StorageAccount account, string workspaceId, string surveyId, int count)
    {
        var table = new DocumentTable<ResponseRecord>(account.GetTableClient(StorageNames.Tables.Responses), TrackelioJson.Options);
        var start = DateTimeOffset.UtcNow.AddDays(-Days);
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, 2 * count).Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
        {
            var actions = new List<TableTransactionAction>();
            foreach (var i in batch)
            {
                // Interleaved over the whole year; even numbers answer the survey, odd ones give an NPS or CSAT score.
                var at = start + TimeSpan.FromSeconds((((long)i * 7919) % (2 * count)) * (Days * 86400.0 / (2 * count))) + TimeSpan.FromMilliseconds(i % 1000);
                var response = i % 2 == 0 ? SurveyResponse(workspaceId, surveyId, i / 2, at) : Score(workspaceId, i / 2, at);
                actions.Add(new(TableTransactionActionType.Add, table.ToEntity(workspaceId, response.Id, response, TableResponseStore.Columns(response))));
                actions.Add(new(TableTransactionActionType.Add, table.ToEntity(workspaceId, TimeOrderedTable<ResponseRecord>.DescRowKey(response.Id), response, TableResponseStore.Columns(response))));
            }
            // Exact as the store's own transactions are: a retry of one that had applied is not a failure.
            await table.Table.SubmitTransactionExactlyAsync(actions, ct);
        });
        Console.WriteLine($"  seeded {count:N0} survey and {count:N0} NPS/CSAT responses in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static ResponseRecord SurveyResponse(string workspaceId, string surveyId, int i, DateTimeOffset at)
    {
        var answers = new List<SurveyAnswer>
        {
            new("reason", JsonSerializer.SerializeToElement(new[] { "buy", "browse", "other" }[i % 3])),
            new("features", JsonSerializer.SerializeToElement(new[] { new[] { "search" }, ["wishlist", "cart"], ["cart"] }[i % 3])),
            new("ease", JsonSerializer.SerializeToElement(1 + (i % 5))),
            new("recommend", JsonSerializer.SerializeToElement(i % 11)),
        };
        if (i % 2 == 0)
        {
            answers.Add(new("why", JsonSerializer.SerializeToElement($"Seeded answer {i}: the checkout was slow on mobile.")));
        }
        return new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspaceId,
            WidgetId = "wdg_bench",
            Kind = "survey",
            SurveyId = surveyId,
            Answers = answers,
            Submitter = new Submitter { UserId = "bench-" + i },
            CreatedAt = at,
        };
    }

    private static ResponseRecord Score(string workspaceId, int i, DateTimeOffset at)
    {
        var csat = i % 3 == 0;
        var score = csat ? 1 + (i % 5) : i % 11;
        return new ResponseRecord
        {
            Id = Ids.New(Ids.Response, at),
            WorkspaceId = workspaceId,
            WidgetId = "wdg_bench",
            Kind = csat ? "csat" : "nps",
            Score = score,
            Category = csat ? null : ResponseRecord.NpsCategory(score),
            ScaleMax = csat ? 5 : null,
            Submitter = new Submitter { UserId = "bench-" + i },
            CreatedAt = at,
        };
    }
}
