using System.Globalization;
using Trackelio.Bench;

// scripts/bench.sh runs this: each measurement prints its ratio beside its target. The app runs under the
// dev host (scripts/devhost), as an isolated worker; the yardstick is the bare worker under the same host.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var results = new List<(string Name, string Value, string Target, bool Met)>();
// BENCH_ONLY=drain,config runs only those sections (submit, upload, management, dashboard, drain, config, history, surveys, coldstart).
var only = Environment.GetEnvironmentVariable("BENCH_ONLY")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
bool Runs(string section) => only is null || only.Contains(section);

if (Runs("submit"))
{
    Console.WriteLine("== Submit throughput through the dev host vs raw queue put (same concurrency, same run; EnrichSubmission disabled)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: false);
        var (vsPut, vsEcho) = await SubmitThroughput.RunAsync(env, concurrency: 16, roundLength: TimeSpan.FromSeconds(6), rounds: 3);
        results.Add(("submit / raw queue put throughput (the host path included)", vsPut.ToString("F2", CultureInfo.InvariantCulture), "≥ 0.80", vsPut >= 0.8));
        results.Add(("submit / bare worker echo POST, both through the host", vsEcho.ToString("F2", CultureInfo.InvariantCulture), "—", true));
    }
}

if (Runs("upload"))
{
    Console.WriteLine("== Worker process memory while uploading a 50 MiB recording through the dev host");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true);
        var growth = await UploadMemory.RunAsync(env, megabytes: 50);
        results.Add(("50 MiB upload: worker resident memory growth (MiB)", growth.ToString("F1", CultureInfo.InvariantCulture), "< 16", growth < 16));
    }
}

if (Runs("management"))
{
    Console.WriteLine("== Management API latency over 10,000 feedback records (medians of 9, beside one raw Azurite query)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true, new Dictionary<string, string> { ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000" });
        foreach (var (name, ms, ratio) in await ManagementLatency.RunAsync(env, repetitions: 9))
        {
            Console.WriteLine($"  {name,-52} {ms,8:F1} ms   {ratio,6:F1}× raw");
        }
    }
}

if (Runs("dashboard"))
{
    Console.WriteLine("== Dashboard: bytes served (gzip) and time to the inbox's first row in Chromium through the dev host, beside the raw GET /v1/feedback it makes (medians of 9, 1,000 records)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true, new Dictionary<string, string> { ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000" });
        var load = await DashboardFirstLoad.RunAsync(env, repetitions: 9);
        Console.WriteLine($"  first row: fresh browser {load.FirstRowMs:F0} ms, open tab reloaded {load.WarmFirstRowMs:F0} ms; raw GET /v1/feedback?limit=50 {load.RawMs:F1} ms");
        results.Add(($"dashboard first load: page + script + stylesheet, gzip KB ({load.Bytes / 1024.0:F0} KB unzipped; chunks loaded when needed {load.ChunkGzipBytes / 1024.0:F0} KB gzip)", (load.GzipBytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture), "≤ 60", load.GzipBytes <= 60 * 1024));
        results.Add(($"inbox first row, fresh browser ({load.FirstRowMs:F0} ms) / raw GET /v1/feedback ({load.RawMs:F1} ms)", (load.FirstRowMs / load.RawMs).ToString("F1", CultureInfo.InvariantCulture), "—", true));
        results.Add(($"inbox first row, tab reloaded ({load.WarmFirstRowMs:F0} ms) / raw GET /v1/feedback", (load.WarmFirstRowMs / load.RawMs).ToString("F1", CultureInfo.InvariantCulture), "—", true));
    }
}

if (Runs("drain"))
{
    Console.WriteLine("== Intake to enriched: 16 clients submit to one widget for 8 s through the dev host, its queue trigger runs EnrichSubmission (3 rounds)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true, new Dictionary<string, string> { ["Trackelio__Diagnostics__StorageRequests"] = "true" }, requestLog: true);
        var (drain, requests, allRequests, _) = await EnrichmentDrain.RunAsync(env, rounds: 3, concurrency: 16, burst: TimeSpan.FromSeconds(8), SubmitThroughput.Payload());
        results.Add(("storage requests per submission, intake to enriched, app + host (Azurite's log)", allRequests.Format("F2"), "≤ 4", allRequests.Median <= 4));
        results.Add(("  … of them sent by the app (its own counter)", requests.Format("F2"), "—", true));
        results.Add(("enrichment drain rate / intake rate", drain.Format("F2"), "≥ 0.25", drain.Median >= 0.25));
    }
}

if (Runs("config"))
{
    Console.WriteLine("== GET /v1/widget/config (cached) vs the bare worker's v1/widget/config function, each under its own dev host, wrk -t2 -c32 (5 alternating rounds of 5 s)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true);
        var config = await ConfigThroughput.RunAsync(env, rounds: 5, roundLength: TimeSpan.FromSeconds(5));
        Console.WriteLine($"  medians: 200 app {config.App200:F0}/s bare {config.Bare200:F0}/s; 304 app {config.App304:F0}/s bare {config.Bare304:F0}/s (bodies {config.AppBodyBytes} and {config.BareBodyBytes} bytes)");
        results.Add(($"config 200 / bare function, both through the host (app {config.App200:F0}/s, bare {config.Bare200:F0}/s)", config.Ok.Format("F2"), "≥ 0.6", config.Ok.Median >= 0.6));
        results.Add(($"config 304 (If-None-Match) / bare function (app {config.App304:F0}/s, bare {config.Bare304:F0}/s)", config.NotModified.Format("F2"), "≥ 0.7", config.NotModified.Median >= 0.7));
    }
}

if (Runs("history"))
{
    Console.WriteLine("== Reads over history: a workspace of 1,000 records beside one of 100,000, in the same Azurite (11 alternating pairs)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        await env.StartAsync(enrichment: true, new Dictionary<string, string>
        {
            ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000",
            // The warm-up calls tally a year of closed days once; on Azurite every range read of it scans the
            // whole 101,000-record table, which takes longer than a request's 5 s storage deadline.
            ["Trackelio__Storage__RequestDeadline"] = "00:10:00",
            ["Trackelio__Diagnostics__StorageRequests"] = "true",
        });
        foreach (var (name, small, large, ratio, smallRequests, largeRequests) in await HistoryScaling.RunAsync(env, small: 1_000, large: 100_000, repetitions: 11))
        {
            var target = name.StartsWith("raw", StringComparison.Ordinal) ? "—" : "≤ 1.5";
            results.Add(($"{name}: 100k / 1k ({small:F0} → {large:F0} ms; storage requests {smallRequests:F1} → {largeRequests:F1})",
                ratio.Format("F2"), target, target == "—" || ratio.Median <= 1.5));
        }
    }
}

if (Runs("surveys"))
{
    Console.WriteLine("== Reads over response history: 1,000 beside 100,000 responses, seeded into the same table and timed side by side (15 alternating pairs)");
    await using (var env = new BenchEnvironment { Root = root })
    {
        // The warm-up tallies a year of days on an Azurite whose every query scans the whole table: no 5 s request deadline for it.
        await env.StartAsync(enrichment: true, new Dictionary<string, string> { ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000", ["Trackelio__Storage__RequestDeadline"] = "00:30:00" });
        var history = await SurveyResultsScaling.RunAsync(env, small: 1_000, large: 100_000, repetitions: 15);
        foreach (var (name, small, large, ratio) in history)
        {
            var target = name.StartsWith("raw", StringComparison.Ordinal) ? "—" : "≤ 1.5";
            results.Add(($"{name}: 100k / 1k responses ({small:F0} → {large:F0} ms, same table)", ratio.Format("F2"), target, target == "—" || ratio.Median <= 1.5));
        }
    }
}

if (Runs("coldstart"))
{
    Console.WriteLine("== Cold start under the dev host (in process), beside the bare worker published the same way (medians of 10 alternating starts)");
    var cold = await ColdStart.RunAsync(root, Path.Combine(root, "publish/bench-app"), Path.Combine(root, "publish/bench-bare"), starts: 10);
    Console.WriteLine($"  host ready (StartAsync returned): app {cold.AppReadyMs:F0} ms, bare {cold.BareReadyMs:F0} ms; first widget config: app {cold.AppConfigMs:F0} ms, bare {cold.BareConfigMs:F0} ms");
    results.Add(($"cold start: host ready (functions loaded), app ÷ bare ({cold.AppReadyMs:F0} vs {cold.BareReadyMs:F0} ms; pairs {cold.ReadyPairs.Min:F2}–{cold.ReadyPairs.Max:F2})",
        cold.ReadyRatio.ToString("F2", CultureInfo.InvariantCulture), "≤ 1.30", cold.ReadyRatio <= 1.3));
    results.Add(($"cold start: first widget config, app ÷ bare ({cold.AppConfigMs:F0} vs {cold.BareConfigMs:F0} ms; pairs {cold.ConfigPairs.Min:F2}–{cold.ConfigPairs.Max:F2})",
        cold.ConfigRatio.ToString("F2", CultureInfo.InvariantCulture), "≤ 1.50", cold.ConfigRatio <= 1.5));
}

Console.WriteLine();
var width = results.Count == 0 ? 0 : results.Max(r => r.Name.Length); // management prints its own lines only
Console.WriteLine($"{"measurement".PadRight(width)}  {"result",-20}  {"target",-8}");
foreach (var (name, value, target, met) in results)
{
    Console.WriteLine($"{name.PadRight(width)}  {value,-20}  {target,-8}  {(met ? "met" : "MISSED")}");
}
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
