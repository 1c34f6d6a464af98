using System.Diagnostics;
using System.Net.Http.Headers;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Analytics;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Bench;

/// <summary>
/// Reads whose cost must not grow with history: <c>GET /v1/analytics/summary</c> and
/// <c>GET /v1/feedback?page=N</c> timed over 1,000 records, then again after the same workspace
/// grows to 100,000 (medians of several calls, after one warm-up call each). The records are
/// written straight into storage the way the app's store writes them (both rows per record, 50
/// records per entity-group transaction, and the rolled-up totals row), not through HTTP, so that
/// seeding 100,000 takes a minute rather than an hour. They are spread over the last 365 days.
/// </summary>
internal static class HistoryScaling
{
    public const int Days = 365;

    public static async Task<List<(string Name, double Small, double Large)>> RunAsync(BenchEnvironment env, int small, int large, int repetitions)
    {
        var account = new StorageAccount(StorageConnection.Parse(env.StorageConnectionString));
        using var http = new HttpClient { BaseAddress = env.AppUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminKey);
        var table = account.GetTableClient(StorageNames.Tables.Feedback);
        var rawFilter = TableFilter.Create($"PartitionKey eq {env.WorkspaceId} and RowKey ge {"fb_"} and RowKey lt {"fb`"}");
        var urls = new (string Name, string Url)[]
        {
            // The yardstick: one raw Azurite query of 50 rows of a row-key range of the same partition. Azurite
            // evaluates a query against every entity of the partition, so its cost grows with the partition
            // even where Azure's (a row-key range read) does not.
            ("raw Azurite query: 50 rows of a row-key range", "raw"),
            ("GET /v1/analytics/summary?period=90d&group_by=month", "/v1/analytics/summary?period=90d&group_by=month"),
            ("GET /v1/analytics/summary (30d)", "/v1/analytics/summary"),
            ("GET /v1/feedback?page=20&limit=50", "/v1/feedback?page=20&limit=50"),
        };

        Func<Task> raw = () => table.QueryPageAsync(rawFilter, top: 50);
        await SeedAsync(account, env.WorkspaceId, 0, small, small);
        var atSmall = await TimeAsync(http, urls, repetitions, raw);
        await SeedAsync(account, env.WorkspaceId, small, large, large);
        var atLarge = await TimeAsync(http, urls, repetitions, raw);
        return urls.Select((u, i) => (u.Name, atSmall[i], atLarge[i])).ToList();
    }

    private static async Task<double[]> TimeAsync(HttpClient http, (string Name, string Url)[] urls, int repetitions, Func<Task> raw)
    {
        var result = new double[urls.Length];
        for (var i = 0; i < urls.Length; i++)
        {
            Func<Task> call = urls[i].Url == "raw" ? raw : () => GetAsync(http, urls[i].Url);
            await call(); // warm-up (and, for analytics, the one-time tally of closed days)
            var samples = new List<double>();
            for (var r = 0; r < repetitions; r++)
            {
                var stopwatch = Stopwatch.StartNew();
                await call();
                samples.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
            result[i] = Stat.Of(samples).Median;
        }
        return result;
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

    /// <summary>Records <paramref name="from"/>..<paramref name="to"/> of <paramref name="total"/>, spread evenly over the last <see cref="Days"/> days.</summary>
    private static async Task SeedAsync(StorageAccount account, string workspaceId, int from, int to, int total)
    {
        var table = new DocumentTable<FeedbackRecord>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        var start = DateTimeOffset.UtcNow.AddDays(-Days);
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from).Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
        {
            var actions = new List<TableTransactionAction>();
            foreach (var i in batch)
            {
                // Interleaved over the whole year, so each seeding step lands all over the history.
                var at = start + TimeSpan.FromSeconds((((long)i * 7919) % total) * (Days * 86400.0 / total)) + TimeSpan.FromMilliseconds(i % 1000);
                var record = SeededFeedback.Record(workspaceId, i, at);
                actions.Add(new(TableTransactionActionType.Add, table.ToEntity(workspaceId, record.Id, record, TableFeedbackStore.Columns(record))));
                actions.Add(new(TableTransactionActionType.Add, table.ToEntity(workspaceId, TableFeedbackStore.DescRowKey(record.Id), record, TableFeedbackStore.Columns(record))));
            }
            await table.Table.SubmitTransactionAsync(actions, ct);
        });
        // Each record written to a past day marks that day for analytics, as the store's own writes do
        // (DailyFigures.DirtyMark); once per day here rather than once per record.
        var version = Guid.NewGuid().ToString("N");
        await Parallel.ForEachAsync(Enumerable.Range(0, Days + 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, ct) =>
            await table.Table.UpsertEntityAsync(new TableEntity(workspaceId, DailyFigures.DirtyPrefix + DailyFigures.Day(start.AddDays(d))) { ["Version"] = version },
                cancellationToken: ct));
        // The totals as a roll-up of their counting facts would leave them.
        var totals = new DocumentTable<Dictionary<string, long>>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        await totals.UpsertAsync(workspaceId, TableCounterStore.TotalsRow, new Dictionary<string, long> { ["feedback|total"] = to });
        Console.WriteLine($"  seeded records {from:N0}–{to:N0} in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }
}
