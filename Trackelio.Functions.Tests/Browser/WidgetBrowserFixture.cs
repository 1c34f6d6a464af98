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

    /// <summary>Debian's Chromium as every browser test starts it: headless, no sandbox (root in CI), nothing fetched on its own.</summary>
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private DemoSite? _demoSite;
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

        _demoSite = await DemoSite.StartAsync(ApiUrl);
        DemoOrigin = _demoSite.Origin;
        OtherOrigin = _demoSite.OtherOrigin;

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        // Playwright's 5 s for an expectation is short on two shared, busy cores: a generous bound, never a timing
        // assertion (the contract's time promises are measured with a stopwatch where a test makes them).
        Assertions.SetDefaultExpectTimeout(15_000);
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
        if (_demoSite is not null)
        {
            await _demoSite.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    /// <summary>The demo page at <paramref name="path"/> on <paramref name="origin"/>, embedding <paramref name="projectKey"/>'s widget.</summary>
    public string DemoPage(string projectKey, string path = "/shop", string? origin = null) =>
        $"{origin ?? DemoOrigin}{path}?key={Uri.EscapeDataString(projectKey)}";
}
