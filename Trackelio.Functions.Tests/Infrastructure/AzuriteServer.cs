using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// A real Azurite (the npm package in the repository's <c>node_modules</c>), started once per
/// test run on free loopback ports with in-memory persistence, and stopped when the run ends
/// (and, should the test process be killed, by itself: see <c>exit-with-parent.cjs</c>).
/// Tests isolate their data by unique names, never by a fake.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    private static readonly Lazy<Task<AzuriteServer>> Shared = new(() => StartAsync());
    private readonly Process _process;
    private readonly string _location;

    private AzuriteServer(Process process, string location, int blobPort, int queuePort, int tablePort)
    {
        _process = process;
        _location = location;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString => StorageSettings.EmulatorConnectionString(BlobPort, QueuePort, TablePort);

    /// <summary>SDK clients for this Azurite, built as the app builds its own; <paramref name="configure"/> changes their options. (Faults go through a <see cref="StorageProxy"/>.)</summary>
    public StorageAccount CreateAccount(Action<Azure.Core.ClientOptions>? configure = null) => StorageAccount.Create(ConnectionString, configure);

    /// <summary>The run's shared instance.</summary>
    public static Task<AzuriteServer> GetAsync() => Shared.Value;

    /// <summary>A private instance, for tests that stop storage on purpose.</summary>
    public static Task<AzuriteServer> StartPrivateAsync() => StartAsync();

    /// <summary>A private instance that logs every request it receives (<c>--debug</c>) to <see cref="DebugLogPath"/>.</summary>
    public static Task<AzuriteServer> StartPrivateWithDebugLogAsync() => StartAsync(debugLog: true);

    /// <summary>Azurite's <c>--debug</c> log, when started with one.</summary>
    public string? DebugLogPath { get; private set; }

    /// <summary>Starts one; if another process took a port between choosing it and Azurite binding it, again on new ports.</summary>
    private static async Task<AzuriteServer> StartAsync(bool debugLog = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(debugLog);
            }
            catch (PortTakenException) when (attempt < 3)
            {
            }
        }
    }

    private sealed class PortTakenException(string message) : InvalidOperationException(message);

    private static async Task<AzuriteServer> StartOnceAsync(bool debugLog)
    {
        var script = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed ({script} is missing). Run 'npm ci' in {RepositoryRoot.Path} (scripts/test.sh does this).");
        }

        var location = Directory.CreateTempSubdirectory("trackelio-azurite-").FullName;
        var (blob, queue, table) = FreePorts();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = location, // in-memory, but anything it writes lands here
        };
        var exitWithParent = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions.Tests", "Infrastructure", "exit-with-parent.cjs");
        // --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks service version 2026-10-06, newer than Azurite 3.37
        // knows; without the flag Azurite refuses every blob call.
        foreach (var arg in new[]
                 {
                     "--require", exitWithParent, script, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        var debugLogPath = debugLog ? Path.Combine(location, "debug.log") : null;
        if (debugLogPath is not null)
        {
            start.ArgumentList.Add("--debug");
            start.ArgumentList.Add(debugLogPath);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is needed to run Azurite for the tests: install Node.js 20+ so that 'node' is on PATH.", ex);
        }

        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new AzuriteServer(process, location, blob, queue, table) { DebugLogPath = debugLogPath };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Kill();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await IsListening(blob) && await IsListening(queue) && await IsListening(table)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Kill();
                string log;
                lock (output)
                {
                    log = output.ToString();
                }
                var message = $"Azurite did not start on ports {blob}/{queue}/{table}:\n{log}";
                throw log.Contains("EADDRINUSE", StringComparison.Ordinal) ? new PortTakenException(message) : new InvalidOperationException(message);
            }
            await Task.Delay(100);
        }
        return server;
    }

    /// <summary>Freezes the emulator (SIGSTOP): connections open, nothing answers — a storage account that hangs.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>Lets a frozen emulator run on (SIGCONT).</summary>
    public void Thaw() => Signal("CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Stops the emulator: storage becomes unreachable, as in an outage.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Three free ports, all different: each is held until the three are chosen.</summary>
    private static (int Blob, int Queue, int Table) FreePorts()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private static async Task<bool> IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
