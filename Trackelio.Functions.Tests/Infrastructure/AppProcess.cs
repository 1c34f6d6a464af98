using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>The app as a process of its own (as in production), so that a test can SIGKILL it and start it again.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Process? _process;

    public AppProcess(string storageConnectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Trackelio__QueuePump__MinPollInterval"] = "00:00:00.050",
            ["Trackelio__QueuePump__MaxPollInterval"] = "00:00:00.200",
            ["Trackelio__QueuePump__RetryDelay"] = "00:00:00.500",
            ["Trackelio__RateLimits__ReadsPerMinute"] = "1000000",
            ["Trackelio__RateLimits__WritesPerMinute"] = "1000000",
            ["Trackelio__WidgetWrites__WritesPerMinute"] = "1000000",
            ["Trackelio__WidgetWrites__WritesPerIpPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        _environment = environment;
        Url = new Uri($"http://127.0.0.1:{FreePort()}");
    }

    public Uri Url { get; }

    private static string Dll => Path.Combine(RepositoryRoot.Path, "Trackelio.Functions", "bin", "Release", "net10.0", "Trackelio.Functions.dll");

    /// <summary>Runs the app's <c>bootstrap</c> command: a workspace, its admin key and widget (allowing any origin).</summary>
    public async Task<JsonElement> BootstrapAsync(string name)
    {
        using var process = Start("bootstrap", "--workspace", name, "--owner-email", $"owner@{name.ToLowerInvariant()}.example", "--origin", "*");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    public async Task StartAsync()
    {
        _process = Start("--urls", Url.ToString());
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Url.Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"The app did not listen on {Url} within 90 s.");
    }

    /// <summary>SIGKILL: no shutdown, no flushing, requests in flight are cut.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private Process Start(params string[] args)
    {
        if (!File.Exists(Dll))
        {
            throw new InvalidOperationException($"{Dll} is missing: build the solution in Release first (scripts/test.sh does).");
        }
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        return Process.Start(info)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
