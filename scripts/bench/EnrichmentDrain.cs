using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// Intake to enriched, end to end, under the dev host with the queue-triggered <c>EnrichSubmission</c>
/// on: a burst of submissions to one widget (16 concurrent clients for 8 s), then the time until the
/// queue is empty. Reports the drain rate ÷ the intake rate, and the storage requests per submission
/// over the whole round, two ways: the app's own request counter (<c>/_diagnostics/storage-requests</c>,
/// the worker's storage clients: intake and enrichment), and every request Azurite received (its debug
/// log), which adds what the host's queue trigger sends on the app's behalf (receives, including idle
/// polls of every triggered queue, and the delete of each processed message). The bench's own
/// queue-length checks (<c>GET …?comp=metadata</c>) are left out.
/// </summary>
internal static class EnrichmentDrain
{
    public sealed record Round(int Submissions, double IntakePerSecond, double DrainPerSecond, double RequestsPerSubmission, double AllRequestsPerSubmission, IReadOnlyDictionary<string, long> ByKind);

    public static async Task<(Stat Drain, Stat Requests, Stat AllRequests, Round Last)> RunAsync(BenchEnvironment env, int rounds, int concurrency, TimeSpan burst, string payload)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = env.AppUrl };
        var queue = StorageAccount.Create(env.StorageConnectionString).GetQueueClient(StorageNames.Queues.Submissions);
        var results = new List<Round>();
        var expected = 0L;
        await SubmitBurstAsync(http, env.ProjectKey, payload, concurrency, TimeSpan.FromSeconds(1)); // warm-up
        expected += await WaitForDrainAsync(queue, env, http, null);
        for (var round = 0; round < rounds; round++)
        {
            var before = await CountersAsync(http);
            var logBefore = AzuriteRequests(env);
            var stopwatch = Stopwatch.StartNew();
            var submitted = await SubmitBurstAsync(http, env.ProjectKey, payload, concurrency, burst);
            var intakeSeconds = stopwatch.Elapsed.TotalSeconds;
            while (await ApproximateMessageCountAsync(queue) > 0)
            {
                await Task.Delay(50);
            }
            var drainSeconds = stopwatch.Elapsed.TotalSeconds;
            var after = await CountersAsync(http);
            await Task.Delay(500); // Azurite's log is written asynchronously
            var logAfter = AzuriteRequests(env);
            expected += submitted;
            await WaitForDrainAsync(queue, env, http, expected);

            var byKind = after.ByKind.ToDictionary(k => k.Key, k => k.Value - before.ByKind.GetValueOrDefault(k.Key));
            results.Add(new Round(submitted, submitted / intakeSeconds, submitted / drainSeconds, (double)(after.Total - before.Total) / submitted,
                (double)(logAfter - logBefore) / submitted, byKind));
            var r = results[^1];
            Console.WriteLine($"  round {round + 1}: {r.Submissions} submissions, intake {r.IntakePerSecond:F0}/s, drained {r.DrainPerSecond:F0}/s ({r.DrainPerSecond / r.IntakePerSecond:F2}), "
                + $"storage requests per submission: {r.RequestsPerSubmission:F2} by the app, {r.AllRequestsPerSubmission:F2} received by Azurite (app + host)");
        }
        var last = results[^1];
        Console.WriteLine("  last round, requests per submission by kind: "
            + string.Join(", ", last.ByKind.Where(k => k.Value > 0).OrderByDescending(k => k.Value).Select(k => $"{k.Key} {(double)k.Value / last.Submissions:F2}")));
        return (Stat.Of(results.Select(r => r.DrainPerSecond / r.IntakePerSecond).ToList()), Stat.Of(results.Select(r => r.RequestsPerSubmission).ToList()),
            Stat.Of(results.Select(r => r.AllRequestsPerSubmission).ToList()), last);
    }

    private static async Task<int> SubmitBurstAsync(HttpClient http, string key, string payload, int concurrency, TimeSpan length)
    {
        var submitted = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < length)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Project-Key", key);
                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode != 202)
                {
                    throw new InvalidOperationException($"submit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                Interlocked.Increment(ref submitted);
            }
        }));
        return submitted;
    }

    /// <summary>Waits until the queue is empty and (when given) the API shows <paramref name="expected"/> records; returns the total.</summary>
    private static async Task<long> WaitForDrainAsync(QueueClient queue, BenchEnvironment env, HttpClient http, long? expected)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(5); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            if (await ApproximateMessageCountAsync(queue) > 0)
            {
                continue;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/feedback?limit=1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", env.AdminKey);
            using var response = await http.SendAsync(request);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var total = body.RootElement.GetProperty("meta").GetProperty("total").GetInt64();
            if (expected is null || total == expected)
            {
                return total;
            }
        }
        throw new TimeoutException($"The API never showed {expected} records.");
    }

    /// <summary>Requests Azurite has logged so far, all services, without the bench's own queue-length checks.</summary>
    private static long AzuriteRequests(BenchEnvironment env)
    {
        using var stream = new FileStream(env.AzuriteRequestLog ?? throw new InvalidOperationException("Azurite runs without its request log."),
            FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var count = 0L;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("StorageContextMiddleware: RequestMethod=", StringComparison.Ordinal)
                && !(line.Contains("QueueStorageContextMiddleware", StringComparison.Ordinal) && line.Contains("comp=metadata", StringComparison.Ordinal)))
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>The service's approximate count of messages in the queue (one metadata request).</summary>
    private static async Task<int> ApproximateMessageCountAsync(QueueClient queue) =>
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static async Task<(long Total, Dictionary<string, long> ByKind)> CountersAsync(HttpClient http)
    {
        using var body = JsonDocument.Parse(await http.GetStringAsync("/_diagnostics/storage-requests"));
        var byKind = body.RootElement.GetProperty("by_kind").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        return (body.RootElement.GetProperty("total").GetInt64(), byKind);
    }
}
