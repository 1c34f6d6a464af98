using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// Cold start as the Functions host sees it, side by side with a bare ASP.NET Core app
/// published the same way (self-contained linux-x64, ReadyToRun; <c>scripts/bench/BareApp</c>).
/// Each start runs the executable as the host does (working directory = the app root,
/// <c>FUNCTIONS_CUSTOMHANDLER_PORT</c>, the storage connection in the environment), polls
/// <c>GET /</c> (the host's readiness probe) and then asks for a widget config. Starts alternate
/// between the two apps so that the machine's load falls on both alike; medians of N.
/// </summary>
internal static class ColdStart
{
    public sealed record Result(double AppProbeMs, double BareProbeMs, double AppConfigMs, double BareConfigMs)
    {
        public double ProbeRatio => AppProbeMs / BareProbeMs;
        public double ConfigRatio => AppConfigMs / BareConfigMs;
    }

    public static async Task<Result> RunAsync(string root, string appDirectory, string bareDirectory, int starts)
    {
        var azuriteDir = Directory.CreateTempSubdirectory("trackelio-coldstart-").FullName;
        var (blob, queue, table) = (BenchEnvironment.FreePort(), BenchEnvironment.FreePort(), BenchEnvironment.FreePort());
        // --skipApiVersionCheck: Azure.Storage.Blobs speaks a newer service version than Azurite knows; without it every blob call fails.
        using var azurite = Start("node", azuriteDir, new Dictionary<string, string>(),
            Path.Combine(root, "node_modules/azurite/dist/src/azurite.js"), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck",
            "--disableTelemetry", "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}");
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await BenchEnvironment.WaitForPortAsync(port);
            }
            var storage = new Dictionary<string, string> { ["AzureWebJobsStorage"] = StorageSettings.EmulatorConnectionString(blob, queue, table) };
            var projectKey = await BootstrapAsync(appDirectory, storage);

            var app = new List<(double Probe, double Config)>();
            var bare = new List<(double Probe, double Config)>();
            // One start of each first, unmeasured: the page cache holds both apps' files from then on.
            await StartOnceAsync(appDirectory, "Trackelio.Functions", storage, projectKey);
            await StartOnceAsync(bareDirectory, "BareApp", storage, projectKey);
            for (var i = 0; i < starts; i++)
            {
                // Alternate which goes first, so neither always follows the other.
                if (i % 2 == 0)
                {
                    app.Add(await StartOnceAsync(appDirectory, "Trackelio.Functions", storage, projectKey));
                    bare.Add(await StartOnceAsync(bareDirectory, "BareApp", storage, projectKey));
                }
                else
                {
                    bare.Add(await StartOnceAsync(bareDirectory, "BareApp", storage, projectKey));
                    app.Add(await StartOnceAsync(appDirectory, "Trackelio.Functions", storage, projectKey));
                }
            }
            return new Result(Median(app.Select(s => s.Probe)), Median(bare.Select(s => s.Probe)),
                Median(app.Select(s => s.Config)), Median(bare.Select(s => s.Config)));
        }
        finally
        {
            Stop(azurite);
            Directory.Delete(azuriteDir, recursive: true);
        }
    }

    /// <summary>The packaged app's own <c>bootstrap</c> command: a workspace whose widget config the starts ask for.</summary>
    private static async Task<string> BootstrapAsync(string appDirectory, IReadOnlyDictionary<string, string> storage)
    {
        using var bootstrap = Start(Path.Combine(appDirectory, "Trackelio.Functions"), appDirectory, storage, drain: false,
            "bootstrap", "--workspace", "Cold start", "--owner-email", "coldstart@example.com");
        var output = await bootstrap.StandardOutput.ReadToEndAsync();
        await bootstrap.WaitForExitAsync();
        if (bootstrap.ExitCode != 0)
        {
            throw new InvalidOperationException("bootstrap failed: " + await bootstrap.StandardError.ReadToEndAsync());
        }
        return JsonDocument.Parse(output).RootElement.GetProperty("project_key").GetString()!;
    }

    /// <summary>Milliseconds from process start to the first 200 on <c>/</c>, and to the first 200 widget config.</summary>
    private static async Task<(double Probe, double Config)> StartOnceAsync(string directory, string executable,
        IReadOnlyDictionary<string, string> storage, string projectKey)
    {
        var port = BenchEnvironment.FreePort();
        var env = new Dictionary<string, string>(storage)
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = $"{port}",
            ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString(),
            ["FUNCTIONS_APP_ROOT_PATH"] = directory,
        };
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        using var process = Start(Path.Combine(directory, executable), directory, env);
        try
        {
            var probe = await FirstOkAsync(http, "/", process, clock);
            var config = await FirstOkAsync(http, "/v1/widget/config?key=" + projectKey, process, clock);
            return (probe, config);
        }
        finally
        {
            Stop(process);
        }
    }

    /// <summary>Polls like the host's probe (any refused connection means "not yet"; every 5 ms) until a 200.</summary>
    private static async Task<double> FirstOkAsync(HttpClient http, string path, Process process, Stopwatch clock)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with {process.ExitCode} before answering {path}.");
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"{process.StartInfo.FileName} did not answer 200 on {path} within 60 s.");
    }

    private static Process Start(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, params string[] args) =>
        Start(file, workingDirectory, env, drain: true, args);

    private static Process Start(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, bool drain, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        if (drain)
        {
            // The host reads the handler's output; so do we, so it never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return process;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
