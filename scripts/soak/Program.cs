using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Trackelio.Bench;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

// scripts/soak.sh ROOT [--seconds N] [--rates 50,100,200]: for each rate, a steady open-loop mix of
// config reads, submits, uploads, NPS and messenger traffic for N seconds; then it drains and
// proves every acknowledged write stored exactly once. Prints requests, errors by status, p50/p99.
var root = args[0];
var seconds = Option("--seconds", 30);
var rates = (OptionText("--rates") ?? "50,100,200,400").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();

await using var env = new BenchEnvironment { Root = root };
await env.StartAsync(pump: true, new Dictionary<string, string>
{
    ["Trackelio__RateLimits__ReadsPerMinute"] = "10000000",
    ["Trackelio__RateLimits__WritesPerMinute"] = "10000000",
    ["Trackelio__Messenger__StartsPerIpPerMinute"] = "10000000",
    ["Trackelio__Messenger__StartsPerWidgetPerMinute"] = "10000000",
});
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = env.AppUrl, Timeout = TimeSpan.FromSeconds(30) };
var admin = new HttpRequestMessage(HttpMethod.Patch, "/v1/widgets/" + await WidgetIdAsync())
{
    Content = new StringContent("""{"modules":{"nps":{"enabled":true,"frequency_days":0},"messenger":{"enabled":true}}}""", Encoding.UTF8, "application/json"),
};
admin.Headers.Authorization = new("Bearer", env.AdminKey);
(await http.SendAsync(admin)).EnsureSuccessStatusCode();
await Task.Delay(11_000); // the config change reaches the widget cache

var submits = new ConcurrentDictionary<string, string>();
var uploads = new ConcurrentBag<string>();
var nps = new ConcurrentBag<string>();
var conversations = new ConcurrentBag<string>();
var best = 0;
foreach (var rate in rates)
{
    var statuses = new ConcurrentDictionary<string, int>();
    var latencies = new ConcurrentBag<double>();
    var inFlight = new List<Task>();
    var clock = Stopwatch.StartNew();
    var sent = 0;
    var random = new Random(rate);
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        var due = (int)(clock.Elapsed.TotalSeconds * rate);
        for (; sent < due; sent++)
        {
            var pick = random.Next(100);
            var n = sent;
            inFlight.Add(Task.Run(() => OneAsync(pick, $"{rate}-{n}", statuses, latencies)));
        }
        await Task.Delay(5);
    }
    await Task.WhenAll(inFlight);
    var sorted = latencies.Order().ToArray();
    var errors = statuses.Where(s => s.Key is not ("200" or "201" or "202" or "304")).Sum(s => s.Value);
    Console.WriteLine($"rate {rate}/s for {seconds} s: {sent} requests, errors {errors} ({string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"))}), " +
        $"p50 {Percentile(sorted, 0.50):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms");
    if (errors == 0)
    {
        best = rate;
    }
}

// Drain, then prove: every acknowledged submit is one record (nothing more), every acknowledged
// upload and NPS response is there, every started conversation exists.
var account = StorageAccount.Create(env.StorageConnectionString);
var feedback = account.GetTableClient("feedback");
var drainClock = Stopwatch.StartNew();
List<string> stored;
do
{
    stored = [];
    await foreach (var entity in feedback.QueryAsync<TableEntity>(TableQueries.And(TableClient.CreateQueryFilter($"PartitionKey eq {env.WorkspaceId}"),
        TimeOrderedTable<object>.Range(Ids.Feedback, null, null, newestFirst: false)), select: ["RowKey"]))
    {
        stored.Add(entity.RowKey);
    }
    if (stored.Count >= submits.Count)
    {
        break;
    }
    await Task.Delay(500);
}
while (drainClock.Elapsed < TimeSpan.FromMinutes(5));
var acknowledged = submits.Values.ToHashSet();
var missing = acknowledged.Except(stored).Count();
var extra = stored.Count - stored.Intersect(acknowledged).Count();
var responses = 0;
await foreach (var _ in account.GetTableClient("responses").QueryAsync<TableEntity>(TableQueries.And(TableClient.CreateQueryFilter($"PartitionKey eq {env.WorkspaceId}"),
    TimeOrderedTable<object>.Range(Ids.Response, null, null, newestFirst: false)), select: ["RowKey"]))
{
    responses++;
}
var blobs = new HashSet<string>();
await foreach (var blob in account.GetBlobContainerClient("attachments").GetBlobsAsync(new GetBlobsOptions { Prefix = env.WorkspaceId + "/" }))
{
    blobs.Add(blob.Name.Split('/')[^1]);
}
var missingUploads = uploads.Count(u => !blobs.Contains(u));
Console.WriteLine($"drained in {drainClock.Elapsed.TotalSeconds:0} s: submits acknowledged {acknowledged.Count}, stored {stored.Count} (missing {missing}, extra {extra}); " +
    $"NPS acknowledged {nps.Count}, stored {responses}; uploads acknowledged {uploads.Count}, missing {missingUploads}; conversations started {conversations.Count}");
Console.WriteLine($"highest error-free rate: {(best == 0 ? "none" : best + "/s")}");
return missing == 0 && extra == 0 && responses == nps.Count && missingUploads == 0 ? 0 : 1;

async Task OneAsync(int pick, string tag, ConcurrentDictionary<string, int> statuses, ConcurrentBag<double> latencies)
{
    var watch = Stopwatch.StartNew();
    string status;
    try
    {
        using var request = pick switch
        {
            < 40 => Widget(HttpMethod.Get, $"/v1/widget/config?key={env.ProjectKey}", null),
            < 65 => Widget(HttpMethod.Post, "/v1/widget/submit", new { title = "Soak " + tag, description = "steady traffic", item_type = "bug", console_logs = new[] { new { level = "error", message = "x" } } }, idempotencyKey: "soak-" + tag),
            < 70 => Upload(),
            < 80 => Widget(HttpMethod.Post, "/v1/widget/nps", new { score = 9, session_token = "soak-" + tag }),
            _ => Widget(HttpMethod.Post, "/v1/widget/messenger/start", new { message = "hello " + tag }),
        };
        using var response = await http.SendAsync(request);
        status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified && pick >= 40)
        {
            var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
            switch (pick)
            {
                case < 65: submits["soak-" + tag] = data.GetProperty("id").GetString()!; break;
                case < 70: uploads.Add(data.GetProperty("id").GetString()!); break;
                case < 80: nps.Add(data.GetProperty("id").GetString()!); break;
                default: conversations.Add(data.GetProperty("conversation_id").GetString()!); break;
            }
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        status = ex.GetType().Name;
    }
    latencies.Add(watch.Elapsed.TotalMilliseconds);
    statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
}

HttpRequestMessage Widget(HttpMethod method, string path, object? body, string? idempotencyKey = null)
{
    var request = new HttpRequestMessage(method, path);
    request.Headers.Add("X-Project-Key", env.ProjectKey);
    if (body is not null)
    {
        request.Content = JsonContent.Create(body);
    }
    if (idempotencyKey is not null)
    {
        request.Headers.Add("Idempotency-Key", idempotencyKey);
    }
    return request;
}

HttpRequestMessage Upload()
{
    var png = new byte[20 * 1024];
    new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52 }.CopyTo(png, 0);
    var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/upload") { Content = new ByteArrayContent(png) };
    request.Content.Headers.ContentType = new("image/png");
    request.Headers.Add("X-Project-Key", env.ProjectKey);
    return request;
}

async Task<string> WidgetIdAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/widgets");
    request.Headers.Authorization = new("Bearer", env.AdminKey);
    var body = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
    return body.GetProperty("data")[0].GetProperty("id").GetString()!;
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
