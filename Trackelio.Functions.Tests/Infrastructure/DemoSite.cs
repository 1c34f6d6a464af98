using System.Diagnostics;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The demo shop (<c>scripts/demo-site.mjs</c>, node) on a loopback port of its own — a second origin that embeds the
/// widget from the app at <c>apiUrl</c>, as a customer's site does.
/// </summary>
public sealed class DemoSite : IAsyncDisposable
{
    private readonly Process _process;

    private DemoSite(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The origin the tests' widgets allow, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>The same site under another origin (<c>localhost</c> instead of <c>127.0.0.1</c>).</summary>
    public string OtherOrigin => $"http://localhost:{Port}";

    /// <summary>The demo page at <paramref name="path"/> on <paramref name="origin"/>, embedding <paramref name="projectKey"/>'s widget.</summary>
    public string Page(string projectKey, string path = "/shop", string? origin = null) =>
        $"{origin ?? Origin}{path}?key={Uri.EscapeDataString(projectKey)}";

    public static async Task<DemoSite> StartAsync(string apiUrl)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var exitWithParent = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions.Tests", "Infrastructure", "exit-with-parent.cjs");
        foreach (var arg in new[] { "--require", exitWithParent, Path.Combine(RepositoryRoot.Path, "scripts", "demo-site.mjs"), "--port", "0", "--host", "127.0.0.1", "--api", apiUrl })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start the demo site.");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("The demo site exited before it listened.");
        // "Demo site: http://127.0.0.1:PORT/"
        return new DemoSite(process, new Uri(line[line.IndexOf("http", StringComparison.Ordinal)..]).Port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
