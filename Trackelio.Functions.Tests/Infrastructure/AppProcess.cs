using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trackelio.DevHost;
using Trackelio.Packaging;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The app as a worker process of its own under the dev host (as in production under the Functions
/// host), so that a test can SIGKILL the worker and start the app again. The front door keeps its
/// port across restarts, so clients keep their base address; queue triggers poll fast.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private const int KeptLogLines = 200;
    private readonly Dictionary<string, string?> _settings;
    private readonly string _appDirectory;
    private readonly ConcurrentQueue<string> _log = new();
    private readonly int _port;
    private FunctionsDevHost? _host;
    private Task? _stopping;

    /// <param name="storageConnectionString">AzureWebJobsStorage, for the host's triggers and the app.</param>
    /// <param name="settings">More app settings (environment-variable names, <c>Trackelio__…</c>).</param>
    /// <param name="appDirectory">The worker's build or publish output; the Release build by default.</param>
    public AppProcess(string storageConnectionString, IReadOnlyDictionary<string, string>? settings = null, string? appDirectory = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            // host.json overrides, as app settings override it on the platform: poll often, retry soon.
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.100",
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00.500",
            ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000",
            ["Trackelio__RateLimits__WritesPerMinute"] = "1000000",
            ["Trackelio__WidgetWrites__WritesPerMinute"] = "1000000",
            ["Trackelio__WidgetWrites__WritesPerIpPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            _settings[key] = value;
        }
        _appDirectory = appDirectory ?? TrackelioApp.AppDirectory;
        _port = FreePort();
        Url = new Uri($"http://127.0.0.1:{_port}/");
    }

    /// <summary>The front door (the same across restarts).</summary>
    public Uri Url { get; }

    /// <summary>The running dev host.</summary>
    public FunctionsDevHost Host => _host ?? throw new InvalidOperationException("The app is not running.");

    /// <summary>What the host and the worker logged lately (for a failing test's message).</summary>
    public string RecentLog => string.Join('\n', _log);

    /// <summary>Runs the app's <c>bootstrap</c> command: a workspace, its admin key and widget (allowing any origin).</summary>
    public Task<JsonElement> BootstrapAsync(string name) =>
        BootstrapAsync(_appDirectory, _settings, name);

    /// <summary>The app's <c>bootstrap</c> command, run from <paramref name="appDirectory"/> as the host would start the worker there.</summary>
    public static async Task<JsonElement> BootstrapAsync(string appDirectory, IReadOnlyDictionary<string, string?> settings, string name)
    {
        var output = await RunCommandAsync(appDirectory, settings,
            "bootstrap", "--workspace", name, "--owner-email", $"owner@{name.ToLowerInvariant()}.example", "--origin", "*");
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    /// <summary>
    /// Runs one of the app's commands with the executable and assembly worker.config.json names
    /// (<c>dotnet Trackelio.Functions.dll …</c>, or the apphost of a self-contained worker), in the app's folder.
    /// </summary>
    public static async Task<string> RunCommandAsync(string appDirectory, IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var worker = FunctionZip.Worker.Read(appDirectory);
        var assembly = Path.Combine(appDirectory, worker.WorkerPath);
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} is missing: build the solution in Release first (scripts/test.sh does).");
        }
        var info = new ProcessStartInfo(worker.AppExecutable is { } executable ? Path.Combine(appDirectory, executable) : worker.ExecutablePath)
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (worker.AppExecutable is null)
        {
            info.ArgumentList.Add(assembly);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args.Take(1))} exited with {process.ExitCode}: {await error}");
        }
        return await output;
    }

    /// <summary>Starts the dev host on the app (once the previous one, if any, has stopped) and returns once every function is loaded.</summary>
    public async Task StartAsync()
    {
        if (_stopping is not null)
        {
            await _stopping;
            _stopping = null;
        }
        if (_host is not null)
        {
            throw new InvalidOperationException("The app is running already.");
        }
        _host = await FunctionsDevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = _appDirectory,
            HttpPort = _port,
            Settings = new Dictionary<string, string?>(_settings),
            Log = Log,
        });
    }

    /// <summary>
    /// SIGKILL of the worker process: no shutdown, no flushing, requests and queue messages in
    /// flight are cut. The host sees its worker die (in-flight invocations fail, their messages
    /// come back after the visibility timeout) and is stopped; <see cref="StartAsync"/> starts a new one.
    /// </summary>
    public void Kill()
    {
        if (_host is not { } host)
        {
            return;
        }
        _host = null;
        try
        {
            using var worker = Process.GetProcessById(host.WorkerProcessId);
            worker.Kill();
        }
        catch (ArgumentException)
        {
            // Exited already.
        }
        host.WorkerExited.Wait(TimeSpan.FromSeconds(10));
        _stopping = host.DisposeAsync().AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync();
        }
        if (_stopping is not null)
        {
            await _stopping;
        }
    }

    private void Log(string line)
    {
        _log.Enqueue(line);
        while (_log.Count > KeptLogLines && _log.TryDequeue(out _))
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
