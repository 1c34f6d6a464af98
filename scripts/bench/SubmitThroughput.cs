using System.Diagnostics;
using System.Net;
using System.Text;
using Azure.Storage.Queues;
using Trackelio.Functions.Storage;

namespace Trackelio.Bench;

/// <summary>
/// Submit throughput through the dev host (the queue-triggered enrichment disabled) against the raw Azurite queue-put throughput, at the same concurrency,
/// alternating rounds in one run so both see the same machine. A submit is acknowledged only
/// once its queue message is durable, so the queue put is its floor.
/// </summary>
internal static class SubmitThroughput
{
    /// <summary>Submit ÷ raw queue put, and submit ÷ the bare worker's echo function answering the same POST through the same host.</summary>
    public static async Task<(double VsPut, double VsBareEcho)> RunAsync(BenchEnvironment env, int concurrency, TimeSpan roundLength, int rounds)
    {
        using var bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = await env.StartBareWorkerAsync() };
        var body = Payload();
        // The app's own queue client (base64 text, as the app sends its submissions), so both sides put the same bytes.
        var queue = StorageAccount.Create(env.StorageConnectionString).GetQueueClient("benchraw");
        await queue.CreateIfNotExistsAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = env.AppUrl };

        // Warm both paths (JIT of the bench, the host and the worker; connections, caches) before measuring.
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(5), () => PutAsync(queue, body));
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(5), () => SubmitAsync(http, env.ProjectKey, body));
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(5), () => EchoAsync(bare, body));

        var puts = new List<double>();
        var submits = new List<double>();
        var echoes = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            puts.Add(await MeasureAsync(concurrency, roundLength, () => PutAsync(queue, body)));
            submits.Add(await MeasureAsync(concurrency, roundLength, () => SubmitAsync(http, env.ProjectKey, body)));
            echoes.Add(await MeasureAsync(concurrency, roundLength, () => EchoAsync(bare, body)));
            Console.WriteLine($"  round {round + 1}: queue put {puts[^1],8:F0}/s   submit {submits[^1],8:F0}/s ({submits[^1] / puts[^1]:F2} of the put)   "
                + $"bare worker echo POST {echoes[^1],8:F0}/s ({submits[^1] / echoes[^1]:F2})");
        }

        var put = Median(puts);
        var submit = Median(submits);
        var echo = Median(echoes);
        Console.WriteLine($"  median:  queue put {put,8:F0}/s   submit {submit,8:F0}/s   bare echo {echo,8:F0}/s   (concurrency {concurrency})");
        return (submit / put, submit / echo);
    }

    /// <summary>The same POST to the bare worker's echo function (it reads the body and answers JSON) through its own dev host.</summary>
    private static async Task<bool> EchoAsync(HttpClient http, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/echo/1") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>A typical widget post: a description, page and browser details, a few log lines (~2 KiB).</summary>
    internal static string Payload() =>
        """
        {"title":"Checkout button does nothing","description":"I click Pay and nothing happens. Tried twice, same result. Using the saved card.",
         "item_type":"bug","submitter":{"name":"Ann Example","email":"ann@example.com","user_id":"u-1042"},
         "page":{"url":"https://shop.example/checkout?step=3","path":"/checkout","title":"Checkout","referrer":"https://shop.example/cart"},
         "viewport":{"width":1440,"height":900},"browser":{"name":"Chrome","version":"120.0","platform":"MacIntel"},
         "session_token":"sess_7f3a9c","console_logs":[
           {"level":"warn","message":"[payments] retrying tokenization (1/3)","timestamp":"2025-01-14T09:41:20Z"},
           {"level":"error","message":"Uncaught TypeError: Cannot read properties of undefined (reading 'submit') at checkout.js:812:17","timestamp":"2025-01-14T09:41:21Z"},
           {"level":"log","message":"cart total 129.90 EUR, 3 items","timestamp":"2025-01-14T09:41:21Z"}],
         "network_logs":[{"method":"POST","url":"https://shop.example/api/payments/intent","status":500,"duration_ms":412.5,
           "request_headers":{"Content-Type":"application/json"},"response_body":"{\"error\":\"upstream timeout\"}"}],
         "metadata":{"plan":"pro","experiment":"checkout-v2","cart_items":3}}
        """;

    private static async Task<bool> PutAsync(QueueClient queue, string body)
    {
        await queue.SendMessageAsync(body);
        return true;
    }

    private static async Task<bool> SubmitAsync(HttpClient http, string key, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Project-Key", key);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    /// <summary>Completed operations per second over <paramref name="length"/> with <paramref name="concurrency"/> workers.</summary>
    private static async Task<double> MeasureAsync(int concurrency, TimeSpan length, Func<Task<bool>> operation)
    {
        var completed = 0L;
        var failed = 0L;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stopwatch.Elapsed < length)
            {
                if (await operation())
                {
                    Interlocked.Increment(ref completed);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} operations failed during the measurement.");
        }
        return completed / stopwatch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
