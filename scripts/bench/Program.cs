using System.Globalization;
using Trackelio.Bench;

// scripts/bench.sh runs this: each measurement prints its ratio beside its target.
var root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var results = new List<(string Name, string Value, string Target, bool Met)>();

Console.WriteLine("== Submit throughput vs raw queue put (same concurrency, same run)");
await using (var env = new BenchEnvironment { Root = root })
{
    await env.StartAsync(pump: false);
    var ratio = await SubmitThroughput.RunAsync(env, concurrency: 16, roundLength: TimeSpan.FromSeconds(6), rounds: 3);
    results.Add(("submit / queue put throughput", ratio.ToString("F2", CultureInfo.InvariantCulture), "≥ 0.80", ratio >= 0.8));
}

Console.WriteLine("== App memory while uploading a 50 MiB recording");
await using (var env = new BenchEnvironment { Root = root })
{
    await env.StartAsync(pump: false);
    var growth = await UploadMemory.RunAsync(env, megabytes: 50);
    results.Add(("50 MiB upload: resident memory growth (MiB)", growth.ToString("F1", CultureInfo.InvariantCulture), "< 16", growth < 16));
}

Console.WriteLine("== Management API latency over 10,000 feedback records (medians of 9, beside one raw Azurite query)");
await using (var env = new BenchEnvironment { Root = root })
{
    await env.StartAsync(pump: false, new Dictionary<string, string> { ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000" });
    foreach (var (name, ms, ratio) in await ManagementLatency.RunAsync(env, repetitions: 9))
    {
        Console.WriteLine($"  {name,-52} {ms,8:F1} ms   {ratio,6:F1}× raw");
    }
}

Console.WriteLine();
Console.WriteLine($"{"measurement",-46} {"result",8}  {"target",8}");
foreach (var (name, value, target, met) in results)
{
    Console.WriteLine($"{name,-46} {value,8}  {target,8}  {(met ? "met" : "MISSED")}");
}
