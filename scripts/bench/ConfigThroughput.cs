using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Trackelio.Bench;

/// <summary>
/// <c>GET /v1/widget/config</c> (cached) through the dev host, against the bare isolated-worker
/// app's <c>v1/widget/config</c> function (scripts/devhost/BareWorker: fixed JSON bytes and ETag, no key
/// check, no CORS, no cache lookup, no middleware) under a dev host of its own: both pay the same host
/// path (front door, InvocationRequest over gRPC, YARP proxy to the worker's HTTP server), so
/// app ÷ bare is the cost of our code. <c>wrk</c> at 32 connections, 200 and 304 (If-None-Match),
/// alternating rounds in one run; medians and spread of the ratios.
/// </summary>
internal static partial class ConfigThroughput
{
    public sealed record Result(Stat Ok, Stat NotModified, double App200, double Bare200, double App304, double Bare304, int AppBodyBytes, int BareBodyBytes);

    public static async Task<Result> RunAsync(BenchEnvironment env, int rounds, TimeSpan roundLength)
    {
        var path = $"/v1/widget/config?key={env.ProjectKey}";
        var bareBase = await env.StartBareWorkerAsync();
        var (etag, appBody) = await FirstAsync(new Uri(env.AppUrl, path));
        var (bareEtag, bareBody) = await FirstAsync(new Uri(bareBase, path));

        var bareUrl = new Uri(bareBase, path).ToString();
        var appUrl = new Uri(env.AppUrl, path).ToString();
        // Warm-up, unmeasured: both workers' and hosts' tiered JIT settles on the 200 and the 304 paths.
        var warm = TimeSpan.FromSeconds(4);
        await WrkAsync(appUrl, null, warm);
        await WrkAsync(bareUrl, null, warm);
        await WrkAsync(appUrl, etag, warm);
        await WrkAsync(bareUrl, bareEtag, warm);

        var ok = new List<double>();
        var notModified = new List<double>();
        var (app200s, bare200s, app304s, bare304s) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which goes first, so neither always follows the other.
            double app200, bare200, app304, bare304;
            if (round % 2 == 0)
            {
                (app200, bare200) = (await WrkAsync(appUrl, null, roundLength), await WrkAsync(bareUrl, null, roundLength));
                (app304, bare304) = (await WrkAsync(appUrl, etag, roundLength), await WrkAsync(bareUrl, bareEtag, roundLength));
            }
            else
            {
                (bare200, app200) = (await WrkAsync(bareUrl, null, roundLength), await WrkAsync(appUrl, null, roundLength));
                (bare304, app304) = (await WrkAsync(bareUrl, bareEtag, roundLength), await WrkAsync(appUrl, etag, roundLength));
            }
            ok.Add(app200 / bare200);
            notModified.Add(app304 / bare304);
            app200s.Add(app200);
            bare200s.Add(bare200);
            app304s.Add(app304);
            bare304s.Add(bare304);
            Console.WriteLine($"  round {round + 1}: 200 app {app200,8:F0}/s bare {bare200,8:F0}/s ({ok[^1]:F2})   304 app {app304,8:F0}/s bare {bare304,8:F0}/s ({notModified[^1]:F2})");
        }
        return new Result(Stat.Of(ok), Stat.Of(notModified), Stat.Of(app200s).Median, Stat.Of(bare200s).Median,
            Stat.Of(app304s).Median, Stat.Of(bare304s).Median, appBody, bareBody);
    }

    private static async Task<(string ETag, int BodyBytes)> FirstAsync(Uri url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return (response.Headers.ETag?.ToString() ?? throw new InvalidOperationException($"{url} sent no ETag."), body.Length);
    }

    /// <summary>Requests per second <c>wrk</c> measured (2 threads, 32 connections).</summary>
    private static async Task<double> WrkAsync(string url, string? ifNoneMatch, TimeSpan length)
    {
        var info = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-t2", "-c32", $"-d{(int)length.TotalSeconds}s" })
        {
            info.ArgumentList.Add(arg);
        }
        if (ifNoneMatch is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"If-None-Match: {ifNoneMatch}");
        }
        info.ArgumentList.Add(url);
        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start (bench.sh installs it).");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (output.Contains("Non-2xx or 3xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw errors from {url}:\n{output}");
        }
        var match = RequestsPerSecond().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException($"wrk said:\n{output}");
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}

/// <summary>A median of several rounds and their range.</summary>
internal sealed record Stat(double Median, double Min, double Max)
{
    public static Stat Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return new Stat(median, sorted[0], sorted[^1]);
    }

    public string Format(string format) =>
        $"{Median.ToString(format, CultureInfo.InvariantCulture)} ({Min.ToString(format, CultureInfo.InvariantCulture)}–{Max.ToString(format, CultureInfo.InvariantCulture)})";
}
