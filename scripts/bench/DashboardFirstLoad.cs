using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// The dashboard's weight and first load: the bytes of its page, script and stylesheet as served (gzip), and the time
/// from opening <c>/app/</c> in Debian's Chromium (a fresh profile each time: nothing cached) to the inbox's first row —
/// beside the one raw <c>GET /v1/feedback?limit=50</c> the inbox makes, measured alternately in the same run.
/// </summary>
internal static class DashboardFirstLoad
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public sealed record Result(long Bytes, long GzipBytes, long ChunkGzipBytes, double FirstRowMs, double WarmFirstRowMs, double RawMs);

    public static async Task<Result> RunAsync(BenchEnvironment env, int repetitions)
    {
        await ManagementLatency.SeedAsync(StorageAccount.Create(env.StorageConnectionString), env.WorkspaceId, count: 1_000);
        var (bytes, gzip, chunks) = await WeighAsync(env.AppUrl);

        using var http = new HttpClient { BaseAddress = env.AppUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminKey);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });

        // One page kept open for the warm loads (revalidated by ETag, as a returning member's are).
        await using var warm = await browser.NewContextAsync();
        await SignedInAsync(warm, env.AdminKey);
        var warmPage = await warm.NewPageAsync();
        await FirstRowAsync(warmPage, env.AppUrl);
        await RawAsync(http);

        var cold = new List<double>();
        var again = new List<double>();
        var raw = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            await using (var context = await browser.NewContextAsync())
            {
                await SignedInAsync(context, env.AdminKey);
                cold.Add(await FirstRowAsync(await context.NewPageAsync(), env.AppUrl));
            }
            again.Add(await FirstRowAsync(warmPage, env.AppUrl));
            raw.Add(await RawAsync(http));
        }
        return new Result(bytes, gzip, chunks, ManagementLatency.Median(cold), ManagementLatency.Median(again), ManagementLatency.Median(raw));
    }

    /// <summary>
    /// The page, script and stylesheet as a browser receives them on the first load (raw bytes, and gzip bytes on the wire),
    /// and the chunks it loads only when a view needs them (gzip).
    /// </summary>
    private static async Task<(long Bytes, long Gzip, long ChunksGzip)> WeighAsync(Uri app)
    {
        using var plain = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = app };
        long bytes = 0, gzip = 0, chunks = 0;
        var script = "";
        foreach (var file in new[] { "/app/", "/app/app.js", "/app/app.css" })
        {
            var (raw, wire) = await GetAsync(plain, file);
            Console.WriteLine($"  {file,-40} {raw.Length / 1024.0,7:F1} KB   gzip {wire / 1024.0,6:F1} KB");
            bytes += raw.Length;
            gzip += wire;
            if (file == "/app/app.js")
            {
                script = System.Text.Encoding.UTF8.GetString(raw);
            }
        }
        foreach (var chunk in System.Text.RegularExpressions.Regex.Matches(script, "chunks/[A-Za-z0-9._-]+\\.js").Select(m => m.Value).Distinct())
        {
            var (raw, wire) = await GetAsync(plain, "/app/" + chunk);
            Console.WriteLine($"  /app/{chunk,-35} {raw.Length / 1024.0,7:F1} KB   gzip {wire / 1024.0,6:F1} KB   (loaded when needed)");
            chunks += wire;
        }
        return (bytes, gzip, chunks);
    }

    private static async Task<(byte[] Raw, long Wire)> GetAsync(HttpClient plain, string file)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, file);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await plain.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var wire = await response.Content.ReadAsByteArrayAsync();
        if (!response.Content.Headers.ContentEncoding.Contains("gzip"))
        {
            throw new InvalidOperationException($"{file} was not served gzipped.");
        }
        using var unzipped = new MemoryStream();
        await new GZipStream(new MemoryStream(wire), CompressionMode.Decompress).CopyToAsync(unzipped);
        return (unzipped.ToArray(), wire.Length);
    }

    /// <summary>The key where the dashboard keeps it (sessionStorage), as after signing in: the load measured is the inbox's.</summary>
    private static Task SignedInAsync(IBrowserContext context, string key) =>
        context.AddInitScriptAsync($"sessionStorage.setItem('trackelio.key', {System.Text.Json.JsonSerializer.Serialize(key)});");

    private static async Task<double> FirstRowAsync(IPage page, Uri app)
    {
        var stopwatch = Stopwatch.StartNew();
        await page.GotoAsync(new Uri(app, "/app/").ToString(), new() { WaitUntil = WaitUntilState.Commit });
        try
        {
            await page.Locator("table.inbox tbody tr").First.WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("The inbox showed no row within 30 s. The page says: " + await page.InnerTextAsync("body"));
        }
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static async Task<double> RawAsync(HttpClient http)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await http.GetAsync("/v1/feedback?limit=50");
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        return stopwatch.Elapsed.TotalMilliseconds;
    }
}
