using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// What a real visitor's browser needs: the app on a real loopback port (Kestrel, on the run's
/// Azurite), the demo site (<c>scripts/demo-site.mjs</c>) on a second port — a second origin —
/// and Debian's headless Chromium driven by Playwright. One of each per test class.
/// </summary>
public sealed class WidgetBrowserFixture : TrackelioApp
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private Process? _demoSite;
    private IPlaywright? _playwright;

    /// <summary>The app's own address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ApiUrl { get; private set; } = "";

    /// <summary>The demo site under the origin the tests' widgets allow.</summary>
    public string DemoOrigin { get; private set; } = "";

    /// <summary>The same demo site under another origin (<c>localhost</c> instead of <c>127.0.0.1</c>): not allowed.</summary>
    public string OtherOrigin { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where each scenario leaves its screenshot.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "widget-screenshots");

    public override async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The browser tests need Debian's Chromium at {ChromiumPath}: run 'apt-get update && apt-get install -y chromium' (scripts/test.sh installs it).");
        }

        await base.InitializeAsync();
        ApiUrl = Host.BaseAddress.ToString().TrimEnd('/');

        var port = await StartDemoSiteAsync();
        DemoOrigin = $"http://127.0.0.1:{port}";
        OtherOrigin = $"http://localhost:{port}";

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_demoSite is { HasExited: false })
        {
            _demoSite.Kill(entireProcessTree: true);
            await _demoSite.WaitForExitAsync();
        }
        _demoSite?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>The demo page at <paramref name="path"/> on <paramref name="origin"/>, embedding <paramref name="projectKey"/>'s widget.</summary>
    public string DemoPage(string projectKey, string path = "/shop", string? origin = null) =>
        $"{origin ?? DemoOrigin}{path}?key={Uri.EscapeDataString(projectKey)}";

    private async Task<int> StartDemoSiteAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var exitWithParent = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions.Tests", "Infrastructure", "exit-with-parent.cjs");
        foreach (var arg in new[] { "--require", exitWithParent, Path.Combine(RepositoryRoot.Path, "scripts", "demo-site.mjs"), "--port", "0", "--host", "127.0.0.1", "--api", ApiUrl })
        {
            start.ArgumentList.Add(arg);
        }
        _demoSite = Process.Start(start) ?? throw new InvalidOperationException("node did not start the demo site.");
        _demoSite.ErrorDataReceived += (_, _) => { };
        _demoSite.BeginErrorReadLine();
        var line = await _demoSite.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("The demo site exited before it listened.");
        // "Demo site: http://127.0.0.1:PORT/"
        return new Uri(line[(line.IndexOf("http", StringComparison.Ordinal))..]).Port;
    }
}
