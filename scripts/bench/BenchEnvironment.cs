using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>An Azurite and the app, each its own process on free loopback ports, as in production.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private IReadOnlyDictionary<string, string> _appSettings = new Dictionary<string, string>();

    public required string Root { get; init; }
    public string StorageConnectionString { get; private set; } = "";
    public Uri AppUrl { get; private set; } = null!;
    public Process App { get; private set; } = null!;
    public string ProjectKey { get; private set; } = "";
    public string AdminKey { get; private set; } = "";
    public string WorkspaceId { get; private set; } = "";

    public async Task StartAsync(bool pump, IReadOnlyDictionary<string, string>? settings = null)
    {
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var azuriteDir = Directory.CreateTempSubdirectory("trackelio-bench-").FullName;
        // --skipApiVersionCheck: Azure.Storage.Blobs speaks a newer service version than Azurite knows; without it every blob call fails.
        Start("node", azuriteDir, new Dictionary<string, string>(),
            Path.Combine(Root, "node_modules/azurite/dist/src/azurite.js"), "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--blobPort", $"{blob}", "--queuePort", $"{queue}", "--tablePort", $"{table}");
        await WaitForPortAsync(table);
        await WaitForPortAsync(queue);
        await WaitForPortAsync(blob);

        StorageConnectionString = StorageSettings.EmulatorConnectionString(blob, queue, table);

        var dll = Path.Combine(Root, "Trackelio.Functions/bin/Release/net10.0/Trackelio.Functions.dll");
        var env = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = StorageConnectionString,
            ["Trackelio__QueuePump__Enabled"] = pump ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
            // The bench is one client hammering one widget: lift the widget-write limits it would hit in a second.
            ["Trackelio__WidgetWrites__WritesPerMinute"] = "100000000",
            ["Trackelio__WidgetWrites__WritesPerIpPerMinute"] = "100000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        _appSettings = env;
        (WorkspaceId, AdminKey, ProjectKey) = await BootstrapAsync("Bench");

        var port = FreePort();
        AppUrl = new Uri($"http://127.0.0.1:{port}");
        App = Start("dotnet", Root, env, dll, "--urls", AppUrl.ToString());
        await WaitForPortAsync(port);
    }

    /// <summary>One more workspace in the same storage, made by the app's own <c>bootstrap</c> command.</summary>
    public async Task<(string WorkspaceId, string AdminKey, string ProjectKey)> BootstrapAsync(string name)
    {
        var dll = Path.Combine(Root, "Trackelio.Functions/bin/Release/net10.0/Trackelio.Functions.dll");
        var bootstrap = Start("dotnet", Root, _appSettings, dll, "bootstrap", "--workspace", name, "--owner-email", "bench@example.com", "--origin", "*");
        var output = await bootstrap.StandardOutput.ReadToEndAsync();
        await bootstrap.WaitForExitAsync();
        var keys = JsonDocument.Parse(output).RootElement;
        return (keys.GetProperty("workspace_id").GetString()!, keys.GetProperty("admin_key").GetString()!, keys.GetProperty("project_key").GetString()!);
    }

    private Process Start(string file, string workingDirectory, IReadOnlyDictionary<string, string> env, params string[] args)
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
        if (file == "node" || args.Contains("--urls"))
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
