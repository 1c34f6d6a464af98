using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Data.Tables;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Bench;

/// <summary>
/// Management API latency over 10,000 feedback records: list page 1, the last page (by page
/// number, and by following the cursor), and the analytics summary — each beside one raw
/// Azurite query of the same partition (50 entities), measured alternately in the same run.
/// </summary>
internal static class ManagementLatency
{
    public const int Records = 10_000;

    public static async Task<List<(string Name, double Milliseconds, double Ratio)>> RunAsync(BenchEnvironment env, int repetitions)
    {
        var account = StorageAccount.Create(env.StorageConnectionString);
        await SeedAsync(account, env.WorkspaceId);

        var table = account.GetTableClient(StorageNames.Tables.Feedback);
        var rawFilter = new FeedbackQuery().ToFilter(env.WorkspaceId);
        using var http = new HttpClient { BaseAddress = env.AppUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminKey);
        var lastPage = Records / 50;
        var cursorToLast = await CursorToPageAsync(http, lastPage);

        var measurements = new (string Name, Func<Task> Run)[]
        {
            ("raw Azurite query (50 of the partition)", () => table.QueryOnePageAsync(rawFilter, maxPerPage: 50)),
            ("GET /v1/feedback (page 1 of 200)", () => GetAsync(http, "/v1/feedback?limit=50")),
            ($"GET /v1/feedback?page={lastPage} (last, by number)", () => GetAsync(http, $"/v1/feedback?limit=50&page={lastPage}")),
            ("GET /v1/feedback (last, by links.next cursor)", () => GetAsync(http, cursorToLast)),
            ("GET /v1/analytics/summary (10,000 records)", () => GetAsync(http, "/v1/analytics/summary?period=90d&group_by=month")),
        };

        foreach (var (_, run) in measurements)
        {
            await run(); // warm-up: JIT, connections, caches
        }
        var samples = measurements.ToDictionary(m => m.Name, _ => new List<double>());
        for (var i = 0; i < repetitions; i++)
        {
            foreach (var (name, run) in measurements)
            {
                var stopwatch = Stopwatch.StartNew();
                await run();
                samples[name].Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }

        var raw = Median(samples[measurements[0].Name]);
        return measurements.Select(m => (m.Name, Median(samples[m.Name]), Median(samples[m.Name]) / raw)).ToList();
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

    /// <summary>The links.next URL that leads to <paramref name="page"/>, found by following the cursors once.</summary>
    private static async Task<string> CursorToPageAsync(HttpClient http, int page)
    {
        var url = "/v1/feedback?limit=50";
        for (var i = 1; i < page; i++)
        {
            using var response = await http.GetAsync(url);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            url = body.RootElement.GetProperty("links").GetProperty("next").GetString()!;
        }
        return url;
    }

    /// <summary><paramref name="count"/> records spread over the last 80 days, written as the store writes them (both rows), 50 per transaction.</summary>
    internal static async Task SeedAsync(StorageAccount account, string workspaceId, int count = Records)
    {
        var table = new DocumentTable<FeedbackRecord>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        var start = DateTimeOffset.UtcNow.AddDays(-80);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var at = start + TimeSpan.FromSeconds(i * 80 * 86400.0 / count);
            return SeededFeedback.Record(workspaceId, i, at);
        }).ToList();

        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(records.Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
        {
            var actions = batch.SelectMany(r => new TableTransactionAction[]
            {
                new(TableTransactionActionType.Add, table.ToEntity(workspaceId, r.Id, r, TableFeedbackStore.Columns(r))),
                new(TableTransactionActionType.Add, table.ToEntity(workspaceId, TableFeedbackStore.DescRowKey(r.Id), r, TableFeedbackStore.Columns(r))),
            }).ToList();
            // Exact as the store's own transactions are: a retry of one that had applied is not a failure.
            await table.Table.SubmitTransactionExactlyAsync(actions, ct);
        });
        await new DocumentTable<Dictionary<string, long>>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options)
            .UpsertAsync(workspaceId, TableCounterStore.TotalsRow, new Dictionary<string, long> { ["feedback|total"] = count });
        Console.WriteLine($"  seeded {count:N0} records in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
