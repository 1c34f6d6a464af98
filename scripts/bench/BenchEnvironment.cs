using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// An Azurite and the app under the dev host, each its own process on free loopback ports. The dev
/// host runs as its CLI (<c>Trackelio.DevHost.dll --app … --port …</c>), a process of its own as the
/// Functions host is in production, so the load this process generates and the host's proxying never
/// share one runtime (thread pool, GC). The app runs as deployed: its own build folder (worker.config.json,
/// host.json, appsettings.json with its shipped logging levels), app settings as environment variables,
/// <c>AZURE_FUNCTIONS_ENVIRONMENT=Production</c>.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private IReadOnlyDictionary<string, string> _appSettings = new Dictionary<string, string>();

    public required string Root { get; init; }
    public string StorageConnectionString { get; private set; } = "";
    /// <summary>The dev host's HTTP front door for the app.</summary>
    public Uri AppUrl { get; private set; } = null!;
    /// <summary>The app's worker process (the dev host's child), whose memory UploadMemory reads.</summary>
    public int WorkerProcessId { get; private set; }
    public string ProjectKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string WorkspaceId { get; private set; } = "";
    /// <summary>Azurite's debug log (every request it receives), when started with <c>requestLog: true</c>.</summary>
    public string? AzuriteRequestLog { get; private set; }

    public string AppDirectory => Path.Combine(Root, "Trackelio.Functions/bin/Release/net10.0");
    public string BareWorkerDirectory => Path.Combine(Root, "scripts/devhost/BareWorker/bin/Release/net10.0");
    private string DevHostDll => Path.Combine(Root, "scripts/devhost/bin/Release/net10.0/Trackelio.DevHost.dll");

    /// <summary>
    /// Starts Azurite, makes a workspace with the app's <c>bootstrap</c> command and starts the app under the dev host.
    /// <paramref name="enrichment"/> false disables the queue-triggered enrichment with the host's own
    /// <c>AzureWebJobs.EnrichSubmission.Disabled</c> app setting (the intake measured alone).
    /// </summary>
    public async Task StartAsync(bool enrichment, IReadOnlyDictionary<string, string>? settings = null, bool requestLog = false)
    {
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var azuriteDir = Directory.CreateTempSubdirectory("trackelio-bench-").FullName;
        // --skipApiVersionCheck: Azure.Storage.Blobs speaks a newer service version than Azurite knows; without it every blob call fails.
        var azuriteArgs = new List<string>
        {
            Path.Combine(Root, "node_modules/azurite/dist/src/azurite.js"), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}",
        };
        if (requestLog)
        {
            AzuriteRequestLog = Path.Combine(azuriteDir, "debug.log");
            azuriteArgs.AddRange(["--debug", AzuriteRequestLog]);
        }
        Start("node", azuriteDir, new Dictionary<string, string>(), [.. azuriteArgs]);
        await WaitForPortAsync(table);
        await WaitForPortAsync(queue);
        await WaitForPortAsync(blob);

        StorageConnectionString = StorageSettings.EmulatorConnectionString(blob, queue, table);

        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = StorageConnectionString,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production",
            // The bench is one client hammering one widget: lift the widget-write limits it would hit in a second.
            ["Trackelio__WidgetWrites__WritesPerMinute"] = "100000000",
            ["Trackelio__WidgetWrites__WritesPerIpPerMinute"] = "100000000",
        };
        if (!enrichment)
        {
            env["AzureWebJobs.EnrichSubmission.Disabled"] = "true";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        _appSettings = env;
        (WorkspaceId, AdminKey, ProjectKey) = await BootstrapAsync("Bench");

        (AppUrl, WorkerProcessId) = await StartUnderHostAsync(AppDirectory, "Trackelio.Functions.dll", env);
    }

    /// <summary>The bare isolated-worker app (scripts/devhost/BareWorker) under a dev host of its own, on the same Azurite.</summary>
    public async Task<Uri> StartBareWorkerAsync()
    {
        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = StorageConnectionString,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production",
            ["BareTimerSchedule"] = BareTimerSchedule,
        };
        foreach (var (key, value) in AppLogLevels(AppDirectory))
        {
            env[key] = value!;
        }
        return (await StartUnderHostAsync(BareWorkerDirectory, "BareWorker.dll", env)).Url;
    }

    /// <summary>
    /// The app's shipped log levels (its appsettings.json <c>Logging:LogLevel</c>) as app settings, for the bare
    /// worker. Without them the bare worker logs ASP.NET Core's five Information lines per request (sent to the
    /// host over gRPC and written by it), which the app's <c>"Microsoft.AspNetCore": "Warning"</c> turns off:
    /// the yardstick would pay for logging the app does not do.
    /// </summary>
    public static Dictionary<string, string?> AppLogLevels(string appDirectory)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "appsettings.json")));
        return settings.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .ToDictionary(level => $"Logging__LogLevel__{level.Name}", level => level.Value.GetString());
    }

    /// <summary>The bare worker's timer: once a year, so it never fires during a run.</summary>
    public const string BareTimerSchedule = "0 0 0 1 1 *";

    /// <summary>Starts the dev host CLI on <paramref name="appDirectory"/>; returns its front door and the worker's process id once the functions are loaded.</summary>
    private async Task<(Uri Url, int WorkerProcessId)> StartUnderHostAsync(string appDirectory, string workerDll, IReadOnlyDictionary<string, string> env)
    {
        var port = FreePort();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recent = new Queue<string>();
        var host = Start("dotnet", Root, env, drain: false, DevHostDll, "--app", appDirectory, "--port", port.ToString(CultureInfo.InvariantCulture));
        // The CLI prints "Functions:" once StartAsync has returned (every function loaded, the front door listening).
        host.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (recent)
            {
                recent.Enqueue(e.Data);
                if (recent.Count > 100)
                {
                    recent.Dequeue();
                }
            }
            if (e.Data == "Functions:")
            {
                ready.TrySetResult();
            }
        };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        var started = await Task.WhenAny(ready.Task, host.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(2)));
        if (started != ready.Task)
        {
            lock (recent)
            {
                throw new InvalidOperationException($"The dev host did not load {appDirectory}:\n{string.Join('\n', recent)}");
            }
        }
        return (new Uri($"http://127.0.0.1:{port}"), ChildProcess(host.Id, workerDll));
    }

    /// <summary>The child of <paramref name="parent"/> whose command line names <paramref name="dll"/> (the worker the host started).</summary>
    private static int ChildProcess(int parent, string dll)
    {
        foreach (var task in Directory.EnumerateDirectories($"/proc/{parent}/task"))
        {
            foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var commandLine = File.ReadAllText($"/proc/{child}/cmdline").Replace('\0', ' ');
                if (commandLine.Contains(dll, StringComparison.Ordinal))
                {
                    return int.Parse(child, CultureInfo.InvariantCulture);
                }
            }
        }
        throw new InvalidOperationException($"The dev host {parent} has no worker process running {dll}.");
    }

    /// <summary>One more workspace in the same storage, made by the app's own <c>bootstrap</c> command.</summary>
    public async Task<(string WorkspaceId, string AdminKey, string ProjectKey)> BootstrapAsync(string name)
    {
        var dll = Path.Combine(AppDirectory, "Trackelio.Functions.dll");
        var bootstrap = Start("dotnet", Root, _appSettings, drain: false, dll, "bootstrap", "--workspace", name, "--owner-email", "bench@example.com", "--origin", "*");
        var output = await bootstrap.StandardOutput.ReadToEndAsync();
        await bootstrap.WaitForExitAsync();
        if (bootstrap.ExitCode != 0)
        {
            throw new InvalidOperationException("bootstrap failed: " + await bootstrap.StandardError.ReadToEndAsync());
        }
        var keys = JsonDocument.Parse(output).RootElement;
        return (keys.GetProperty("workspace_id").GetString()!, keys.GetProperty("admin_key").GetString()!, keys.GetProperty("project_key").GetString()!);
    }

    private Process Start(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, params string[] args) =>
        Start(file, workingDirectory, env, drain: true, args);

    private Process Start(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, bool drain, params string[] args)
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
            // Long-running: drain their output so they never block on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"Nothing listens on port {port}.");
    }
}
