using System.Text.Json;
using Microsoft.Playwright;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Browser;

/// <summary>What the dashboard's browser tests do again and again: sign in with a key, run axe-core, read the API.</summary>
public static class DashboardPages
{
    public static readonly TimeSpan Arrival = TimeSpan.FromSeconds(20);

    private static readonly Lazy<string> AxeSource = new(() =>
        File.ReadAllText(Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js")));

    /// <summary>Opens the dashboard at <paramref name="path"/> and signs in with <paramref name="key"/> pasted in; returns once the inbox shows.</summary>
    public static async Task<IPage> SignInWithKeyAsync(DashboardFixture app, string key, string path = "/app/", bool bypassCsp = false)
    {
        var page = await app.Browser.NewPageAsync(new() { BypassCSP = bypassCsp });
        await page.GotoAsync(app.BaseUrl + path);
        await page.GetByLabel("Or paste an API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the key" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        return page;
    }

    /// <summary>
    /// axe-core (npm)'s serious and critical violations on the page as it is, each named with <paramref name="view"/>.
    /// It is evaluated through the browser's debugging channel: the page's own policy allows no such script, so open
    /// the page with <c>BypassCSP</c>.
    /// </summary>
    public static async Task<List<string>> AxeAsync(IPage page, string view)
    {
        await page.EvaluateAsync("source => { if (!window.axe) { (0, eval)(source); } }", AxeSource.Value);
        var found = await page.EvaluateAsync<string[]>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
            + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            + ".map(v => v.impact + ' ' + v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')");
        return [.. found.Select(f => view + ": " + f)];
    }

    /// <summary>The envelope's <c>data</c> of a response that must have succeeded.</summary>
    public static async Task<JsonElement> Data(HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, $"got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }

    /// <summary>Asks <paramref name="probe"/> until it finds something, for up to <see cref="Arrival"/>.</summary>
    public static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement?>> probe)
    {
        var deadline = DateTime.UtcNow + Arrival;
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException("The change did not reach the API in time.");
    }
}
