using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Tests.Mail;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>
/// The app with mail on (a real SMTP server, <see cref="MailApp"/>), the demo shop embedding the widget on a second
/// origin (<see cref="DemoSite"/>) and Debian's headless Chromium, for the dashboard. One for all the dashboard's
/// browser tests (<see cref="DashboardCollection"/>); each test makes its own workspace.
/// </summary>
public sealed class DashboardFixture : MailApp
{
    private IPlaywright? _playwright;
    private DemoSite? _demoSite;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's own address, e.g. <c>http://127.0.0.1:41234</c>: the dashboard is <c>{BaseUrl}/app/</c>.</summary>
    public string BaseUrl => Host.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The demo shop, a customer's site embedding the widget (allow its <see cref="DemoSite.Origin"/>).</summary>
    public DemoSite Demo => _demoSite ?? throw new InvalidOperationException("The fixture is not started.");

    public override async Task InitializeAsync()
    {
        if (!File.Exists(WidgetBrowserFixture.ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The dashboard's browser tests need Debian's Chromium at {WidgetBrowserFixture.ChromiumPath}: run 'apt-get update && apt-get install -y chromium' (scripts/test.sh installs it).");
        }
        await base.InitializeAsync();
        _demoSite = await DemoSite.StartAsync(BaseUrl);
        Directory.CreateDirectory(WidgetBrowserFixture.ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        // Playwright's 5 s for an expectation is short on two shared, busy cores: a generous bound, never a timing
        // assertion (the contract's time promises are measured with a stopwatch where a test makes them).
        Assertions.SetDefaultExpectTimeout(15_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = WidgetBrowserFixture.ChromiumPath,
            Headless = true,
            Args = WidgetBrowserFixture.ChromiumArgs,
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
}

/// <summary>The dashboard's browser tests share one app, SMTP server, demo shop and browser (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard in a browser";
}
