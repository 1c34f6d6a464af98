using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Trackelio.DevHost;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// Cold start as the Functions host sees it, the app beside the bare isolated-worker app
/// (scripts/devhost/BareWorker), both published the same way. Each start runs the dev host
/// in this process (<see cref="FunctionsDevHost.StartAsync"/>, as the host starts a worker: the
/// worker's own folder as working directory, worker.config.json's executable, app settings in the
/// environment) and times, from the call: <b>host ready</b>, StartAsync returning (the worker
/// process started, its gRPC stream open, WorkerInit, metadata, every function loaded, the front door
/// listening) and the <b>first 200 widget config</b> through the front door. In process, so the
/// clock starts where the host starts the worker and not with a CLI's own .NET start-up (which the
/// platform's host, already running, does not pay per worker); the host's own code is warm after
/// the unmeasured first start of each. Starts alternate between the two apps so that the machine's
/// load falls on both alike; medians of N.
/// </summary>
internal static class ColdStart
{
    public sealed record Result(IReadOnlyList<double> AppReady, IReadOnlyList<double> BareReady, IReadOnlyList<double> AppConfig, IReadOnlyList<double> BareConfig)
    {
        public double AppReadyMs => Median(AppReady);
        public double BareReadyMs => Median(BareReady);
        public double AppConfigMs => Median(AppConfig);
        public double BareConfigMs => Median(BareConfig);
        public double ReadyRatio => AppReadyMs / BareReadyMs;
        public double ConfigRatio => AppConfigMs / BareConfigMs;
        /// <summary>The ratio of each alternating pair (app start i ÷ bare start i): the noise.</summary>
        public Stat ReadyPairs => Stat.Of(AppReady.Zip(BareReady, (a, b) => a / b).ToList());
        public Stat ConfigPairs => Stat.Of(AppConfig.Zip(BareConfig, (a, b) => a / b).ToList());
    }

    public static async Task<Result> RunAsync(string root, string appDirectory, string bareDirectory, int starts)
    {
        var azuriteDir = Directory.CreateTempSubdirectory("trackelio-coldstart-").FullName;
        var (blob, queue, table) = (BenchEnvironment.FreePort(), BenchEnvironment.FreePort(), BenchEnvironment.FreePort());
        // --skipApiVersionCheck: Azure.Storage.Blobs speaks a newer service version than Azurite knows; without it every blob call fails.
        using var azurite = Start("node", azuriteDir, new Dictionary<string, string>(), drain: true,
            Path.Combine(root, "node_modules/azurite/dist/src/azurite.js"), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck",
            "--disableTelemetry", "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}");
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await BenchEnvironment.WaitForPortAsync(port);
            }
            var storage = StorageSettings.EmulatorConnectionString(blob, queue, table);
            var projectKey = await BootstrapAsync(appDirectory, storage);
            var appSettings = new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storage, ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production" };
            // The bare worker with the app's shipped log levels (see BenchEnvironment.AppLogLevels).
            var bareSettings = new Dictionary<string, string?>(appSettings) { ["BareTimerSchedule"] = BenchEnvironment.BareTimerSchedule };
            foreach (var (key, value) in BenchEnvironment.AppLogLevels(appDirectory))
            {
                bareSettings[key] = value;
            }
            var configPath = "v1/widget/config?key=" + projectKey;

            var app = new List<(double Ready, double Config)>();
            var bare = new List<(double Ready, double Config)>();
            // One start of each first, unmeasured: the page cache holds both apps' files and the host's code is compiled from then on.
            await StartOnceAsync(appDirectory, appSettings, configPath);
            await StartOnceAsync(bareDirectory, bareSettings, configPath);
            for (var i = 0; i < starts; i++)
            {
                // Alternate which goes first, so neither always follows the other.
                if (i % 2 == 0)
                {
                    app.Add(await StartOnceAsync(appDirectory, appSettings, configPath));
                    bare.Add(await StartOnceAsync(bareDirectory, bareSettings, configPath));
                }
                else
                {
                    bare.Add(await StartOnceAsync(bareDirectory, bareSettings, configPath));
                    app.Add(await StartOnceAsync(appDirectory, appSettings, configPath));
                }
                Console.WriteLine($"  pair {i + 1}: host ready app {app[^1].Ready,5:F0} ms bare {bare[^1].Ready,5:F0} ms ({app[^1].Ready / bare[^1].Ready:F2})   "
                    + $"first config app {app[^1].Config,5:F0} ms bare {bare[^1].Config,5:F0} ms ({app[^1].Config / bare[^1].Config:F2})");
            }
            return new Result(app.Select(s => s.Ready).ToList(), bare.Select(s => s.Ready).ToList(),
                app.Select(s => s.Config).ToList(), bare.Select(s => s.Config).ToList());
        }
        finally
        {
            Stop(azurite);
            Directory.Delete(azuriteDir, recursive: true);
        }
    }

    /// <summary>The published app's own <c>bootstrap</c> command: a workspace whose widget config the starts ask for.</summary>
    private static async Task<string> BootstrapAsync(string appDirectory, string storage)
    {
        using var bootstrap = Start("dotnet", appDirectory, new Dictionary<string, string> { ["AzureWebJobsStorage"] = storage }, drain: false,
            Path.Combine(appDirectory, "Trackelio.Functions.dll"), "bootstrap", "--workspace", "Cold start", "--owner-email", "coldstart@example.com", "--origin", "*");
        var output = await bootstrap.StandardOutput.ReadToEndAsync();
        await bootstrap.WaitForExitAsync();
        if (bootstrap.ExitCode != 0)
        {
            throw new InvalidOperationException("bootstrap failed: " + await bootstrap.StandardError.ReadToEndAsync());
        }
        return JsonDocument.Parse(output).RootElement.GetProperty("project_key").GetString()!;
    }

    /// <summary>Milliseconds from calling StartAsync to its return (host ready), and to the first 200 widget config.</summary>
    private static async Task<(double Ready, double Config)> StartOnceAsync(string directory, Dictionary<string, string?> settings, string configPath)
    {
        var clock = Stopwatch.StartNew();
        await using var host = await FunctionsDevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = directory,
            HttpPort = 0,
            Settings = new Dictionary<string, string?>(settings),
        });
        var ready = clock.Elapsed.TotalMilliseconds;
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(configPath);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{directory}: GET {configPath} answered {(int)response.StatusCode}.");
        }
        await response.Content.ReadAsByteArrayAsync();
        return (ready, clock.Elapsed.TotalMilliseconds);
    }

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

    private static double Median(IEnumerable<double> values) => Stat.Of(values.ToList()).Median;
}
