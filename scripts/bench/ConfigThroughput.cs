using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Trackelio.Bench;

/// <summary>
/// <c>GET /v1/widget/config</c> (cached) against a bare Kestrel endpoint serving the same bytes
/// (<see cref="BareConfigServer"/>), with <c>wrk</c> at 32 connections, 200 and 304 (If-None-Match),
/// alternating rounds in one run; medians and spread of the ratios.
/// </summary>
internal static partial class ConfigThroughput
{
    public static async Task<(Stat Ok, Stat NotModified)> RunAsync(BenchEnvironment env, int rounds, TimeSpan roundLength)
    {
        var path = $"/v1/widget/config?key={env.ProjectKey}";
        using var http = new HttpClient { BaseAddress = env.AppUrl };
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        var etag = response.Headers.ETag!.ToString();
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(bodyFile, body);

        var port = BenchEnvironment.FreePort();
        var bare = StartBare(port, bodyFile, etag);
        try
        {
            await BenchEnvironment.WaitForPortAsync(port);
            var bareUrl = $"http://127.0.0.1:{port}{path}";
            var appUrl = new Uri(env.AppUrl, path).ToString();
            var warm = TimeSpan.FromSeconds(2);
            await WrkAsync(appUrl, null, warm);
            await WrkAsync(bareUrl, null, warm);

            var ok = new List<double>();
            var notModified = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var (app200, bare200) = (await WrkAsync(appUrl, null, roundLength), await WrkAsync(bareUrl, null, roundLength));
                var (app304, bare304) = (await WrkAsync(appUrl, etag, roundLength), await WrkAsync(bareUrl, etag, roundLength));
                ok.Add(app200 / bare200);
                notModified.Add(app304 / bare304);
                Console.WriteLine($"  round {round + 1}: 200 app {app200,8:F0}/s bare {bare200,8:F0}/s ({ok[^1]:F2})   304 app {app304,8:F0}/s bare {bare304,8:F0}/s ({notModified[^1]:F2})");
            }
            return (Stat.Of(ok), Stat.Of(notModified));
        }
        finally
        {
            bare.Kill(entireProcessTree: true);
            await bare.WaitForExitAsync();
            File.Delete(bodyFile);
        }
    }

    private static Process StartBare(int port, string bodyFile, string etag)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { typeof(BareConfigServer).Assembly.Location, "bare-config", port.ToString(CultureInfo.InvariantCulture), bodyFile, etag })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_gcServer"] = "1"; // as the app runs (Web SDK default)
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
