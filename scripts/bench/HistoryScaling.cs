using System.Diagnostics;
using System.Net.Http.Headers;
using Azure.Data.Tables;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Analytics;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Bench;

/// <summary>
/// Reads whose cost must not grow with history: <c>GET /v1/analytics/summary</c> and
/// <c>GET /v1/feedback?page=N</c> for a workspace with 1,000 records beside one with 100,000 in
/// the same Azurite, timed in alternating pairs (the median of the pairs' ratios, after one warm-up call each, which also
/// makes the one-time tallies of closed days), and the storage requests each call makes, counted by
/// the app's storage clients.
/// <para>
/// Azurite is not Azure here: it keeps a table in memory and answers a query by evaluating its
/// filter over the entities (of the whole table, then the partition) and sorting every match
/// before it applies <c>$top</c> (<c>LokiTableMetadataStore.queryTableEntities</c>), so a query
/// costs more with the table, the partition and the number of matches even when it returns 50
/// rows; Azure reads a row-key range in order and stops at <c>$top</c>. Both workspaces share one
/// table so the table's part falls on both alike; the raw query row (one 50-row read of a range
/// that matches every record of the partition) shows what is left of the emulator's effect.
/// </para>
/// The records are written straight into storage the way the app's store writes them (both rows per
/// record, 50 records per entity-group transaction, and the rolled-up totals row), not through HTTP,
/// so that seeding 100,000 takes a few minutes rather than an hour. They are spread over the last 365 days.
/// </summary>
internal static class HistoryScaling
{
    public const int Days = 365;

    public static async Task<List<(string Name, double Small, double Large, Stat Ratio, double SmallRequests, double LargeRequests)>> RunAsync(BenchEnvironment env, int small, int large, int repetitions)
    {
        var account = StorageAccount.Create(env.StorageConnectionString);
        var (smallWorkspace, smallKey, _) = await env.BootstrapAsync("Small history");
        var table = account.GetTableClient(StorageNames.Tables.Feedback);
        var urls = new (string Name, string Url)[]
        {
            ("raw Azurite query: 50 rows of a row-key range of the workspace's partition", "raw"),
            ("GET /v1/analytics/summary?period=90d&group_by=month", "/v1/analytics/summary?period=90d&group_by=month"),
            ("GET /v1/analytics/summary (30d)", "/v1/analytics/summary"),
            ("GET /v1/feedback?page=20&limit=50 (skips 950 keys)", "/v1/feedback?page=20&limit=50"),
            ("GET /v1/feedback?page=200&limit=5 (the 996th–1,000th records)", "/v1/feedback?page=200&limit=5"),
        };

        await SeedAsync(account, smallWorkspace, small);
        await SeedAsync(account, env.WorkspaceId, large);
        var sides = new[] { (Workspace: smallWorkspace, Key: smallKey), (Workspace: env.WorkspaceId, Key: env.AdminKey) }
            .Select(side =>
            {
                var http = new HttpClient { BaseAddress = env.AppUrl };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", side.Key);
                var rawFilter = TableClient.CreateQueryFilter($"PartitionKey eq {side.Workspace} and RowKey ge {"fb_"} and RowKey lt {"fb`"}");
                return (Http: http, Raw: (Func<Task>)(() => table.QueryOnePageAsync(rawFilter, maxPerPage: 50)));
            }).ToArray();

        using var diagnostics = new HttpClient { BaseAddress = env.AppUrl };
        var result = new List<(string, double, double, Stat, double, double)>();
        foreach (var (name, url) in urls)
        {
            var calls = sides.Select(side => url == "raw" ? side.Raw : () => GetAsync(side.Http, url)).ToArray();
            foreach (var call in calls)
            {
                await call(); // warm-up (and, for analytics and far pages, the one-time tally of closed days)
            }
            var samples = new[] { new List<double>(), new List<double>() };
            var requests = new long[2];
            for (var r = 0; r < repetitions; r++)
            {
                for (var side = 0; side < 2; side++)
                {
                    var before = await StorageRequestsAsync(diagnostics);
                    var stopwatch = Stopwatch.StartNew();
                    await calls[side]();
                    samples[side].Add(stopwatch.Elapsed.TotalMilliseconds);
                    requests[side] += await StorageRequestsAsync(diagnostics) - before;
                }
            }
            // The ratio of each alternating pair, then their median: a burst of load falls on one pair, not on one side.
            var ratios = Stat.Of(samples[1].Zip(samples[0], (large, small) => large / small).ToList());
            result.Add((name, Stat.Of(samples[0]).Median, Stat.Of(samples[1]).Median, ratios, (double)requests[0] / repetitions, (double)requests[1] / repetitions));
        }
        foreach (var side in sides)
        {
            side.Http.Dispose();
        }
        return result;
    }

    /// <summary>The app's storage requests so far (the raw query goes around the app and counts none).</summary>
    private static async Task<long> StorageRequestsAsync(HttpClient http)
    {
        using var body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/_diagnostics/storage-requests"));
        return body.RootElement.GetProperty("total").GetInt64();
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

    /// <summary><paramref name="total"/> records, spread evenly over the last <see cref="Days"/> days.</summary>
    private static async Task SeedAsync(StorageAccount account, string workspaceId, int total)
    {
        var table = new DocumentTable<FeedbackRecord>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        var start = DateTimeOffset.UtcNow.AddDays(-Days);
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, total).Chunk(50), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
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
            // Exact as the store's own transactions are: a retry of one that had applied is not a failure.
            await table.Table.SubmitTransactionExactlyAsync(actions, ct);
        });
        // Each record written to a past day marks that day for analytics, as the store's own writes do
        // (DailyFigures.DirtyMark); once per day here rather than once per record.
        var version = Guid.NewGuid().ToString("N");
        await Parallel.ForEachAsync(Enumerable.Range(0, Days + 1), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, ct) =>
            // Replace, as the store's UpsertReplace of the mark does (the SDK's default mode is Merge).
            await table.Table.UpsertEntityAsync(new TableEntity(workspaceId, DailyFigures.DirtyPrefix + DailyFigures.Day(start.AddDays(d))) { ["Version"] = version },
                TableUpdateMode.Replace, ct));
        // The totals as a roll-up of their counting facts would leave them.
        var totals = new DocumentTable<Dictionary<string, long>>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
        await totals.UpsertAsync(workspaceId, TableCounterStore.TotalsRow, new Dictionary<string, long> { ["feedback|total"] = total });
        Console.WriteLine($"  seeded {total:N0} records in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }
}
