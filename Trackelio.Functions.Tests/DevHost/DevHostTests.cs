using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Trackelio.DevHost;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.DevHost;

/// <summary>
/// The dev host against the bare worker: what a real Functions host would do with the same worker
/// build (the handshake, the HTTP proxy, queue retries and poison, timers, the worker's lifetime).
/// </summary>
[Collection(DevHostCollection.Name)]
public sealed class DevHostTests(DevHostFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public void Handshake_indexes_every_function_with_its_bindings()
    {
        var functions = fixture.Host.Functions.ToDictionary(f => f.Name);
        Assert.Equal(["Echo", "QueueWork", "QueueWorkMessage", "Throw", "Tick", "WidgetConfig"], functions.Keys.Order());
        Assert.All(functions.Values, f => Assert.False(string.IsNullOrEmpty(f.FunctionId)));

        var echo = functions["Echo"];
        Assert.Equal("httpTrigger", echo.TriggerType);
        Assert.Equal("v1/echo/{id}", echo.Route);
        Assert.Equal(["GET", "POST"], echo.Methods);
        Assert.Contains(echo.RawBindings, b => b.Contains("\"$return\"", StringComparison.Ordinal));

        var queue = functions["QueueWork"];
        Assert.Equal(("queueTrigger", "bare-work", "String", false), (queue.TriggerType, queue.QueueName, queue.DataType, queue.SupportsDeferredBinding));
        Assert.True(functions["QueueWorkMessage"].SupportsDeferredBinding);
        Assert.Equal(("timerTrigger", "%BareTimerSchedule%", false), (functions["Tick"].TriggerType, functions["Tick"].Schedule, functions["Tick"].RunOnStartup));
    }

    [Fact]
    public async Task Config_answers_200_then_304_for_its_etag()
    {
        using var first = await fixture.Client.GetAsync("v1/widget/config");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("""{"theme":"light","position":"bottom-right","version":1}""", await first.Content.ReadAsStringAsync());
        var etag = first.Headers.ETag!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/widget/config");
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Route_values_query_and_header_reach_the_worker_with_the_hosts_invocation_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/echo/abc-1?q=hello%20there");
        request.Headers.Add("x-echo", "from the client");
        request.Headers.Add("x-ms-invocation-id", "chosen-by-the-client");
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("abc-1", echo.GetProperty("id").GetString());
        Assert.Equal("hello there", echo.GetProperty("query").GetString());
        Assert.Equal("from the client", echo.GetProperty("header").GetString());
        // The X-Forwarded-Host the proxy adds: the worker sees the address the client used.
        Assert.Equal(fixture.Host.BaseAddress.Authority, echo.GetProperty("host").GetString());
        var invocationId = echo.GetProperty("invocationId").GetString();
        Assert.NotEqual("chosen-by-the-client", invocationId);
        var record = await fixture.Host.WaitForInvocationAsync(r => r.InvocationId == invocationId, Wait);
        Assert.Equal(("Echo", "http", InvocationStatus.Success), (record.FunctionName, record.TriggerKind, record.Status));
    }

    [Theory]
    [InlineData("GET", "nope")]
    [InlineData("DELETE", "v1/echo/abc")]
    [InlineData("POST", "v1/widget/config")]
    [InlineData("GET", "api/v1/widget/config")] // the bare worker's routePrefix is ""
    public async Task Unknown_route_or_method_is_an_empty_404(string method, string path)
    {
        using var response = await fixture.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_20_MiB_upload_streams_through_to_the_worker()
    {
        const long size = 20L * 1024 * 1024;
        // Chunked, no Content-Length: nothing in the path can know the size up front.
        using var content = new StreamingContent(size);
        using var response = await fixture.Client.PostAsync("v1/echo/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(size, echo.GetProperty("bodyLength").GetInt64());
    }

    [Fact]
    public async Task A_throwing_function_gives_the_client_an_empty_200_and_is_recorded_as_a_failure()
    {
        // The worker's behaviour (Http.AspNetCore 2.1.1): the endpoint completes normally, so the client
        // sees an empty 200 while the invocation fails. The app's error middleware must turn throws into answers.
        var before = DateTimeOffset.UtcNow;
        using var response = await fixture.Client.GetAsync("v1/throw");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var record = await fixture.Host.WaitForInvocationAsync(r => r.FunctionName == "Throw" && r.Started >= before, Wait);
        Assert.Equal(InvocationStatus.Failure, record.Status);
        Assert.Contains("bare worker throws on purpose", record.ExceptionMessage);
    }

    [Fact]
    public async Task A_queue_message_is_processed_with_the_hosts_trigger_metadata()
    {
        var text = "hello-" + Guid.NewGuid();
        var sent = await fixture.SendAsync("bare-work", text);

        var report = await fixture.WaitForReportAsync("bare-done", r => r.GetProperty("text").GetString() == text, Wait);
        Assert.Equal("1", report.GetProperty("dequeueCount").GetString());
        Assert.Equal(sent.MessageId, report.GetProperty("id").GetString());
        Assert.Equal(text, report.GetProperty("queueTrigger").GetString());
        Assert.False(string.IsNullOrEmpty(report.GetProperty("popReceipt").GetString()));
        Assert.False(string.IsNullOrEmpty(report.GetProperty("insertionTime").GetString()));
    }

    [Fact]
    public async Task An_sdk_typed_queue_trigger_gets_the_message_as_deferred_binding_data()
    {
        var text = "sdk-" + Guid.NewGuid();
        var sent = await fixture.SendAsync("bare-work-message", text);

        var report = await fixture.WaitForReportAsync("bare-done", r => r.GetProperty("text").GetString() == text, Wait);
        Assert.Equal(("QueueWorkMessage", sent.MessageId, "1"),
            (report.GetProperty("function").GetString(), report.GetProperty("id").GetString(), report.GetProperty("dequeueCount").GetString()));
    }

    [Fact]
    public async Task A_failing_message_is_retried_then_moved_to_poison_after_maxDequeueCount()
    {
        var failuresBefore = fixture.Host.Invocations.Count(r => r.FunctionName == "QueueWork" && r.Status == InvocationStatus.Failure);
        await fixture.SendAsync("bare-work", "fail");

        // maxDequeueCount is 2 here: two attempts, then the poison queue (created on demand) gets the body as it was.
        var poisoned = await fixture.WaitForPoisonAsync("bare-work-poison", body => body == Convert.ToBase64String("fail"u8), Wait);
        Assert.Equal("fail", Encoding.UTF8.GetString(Convert.FromBase64String(poisoned)));
        var failures = fixture.Host.Invocations.Count(r => r.FunctionName == "QueueWork" && r.Status == InvocationStatus.Failure) - failuresBefore;
        Assert.Equal(2, failures);
        Assert.Equal(0, (await fixture.Queue("bare-work").PeekMessagesAsync(32)).Value.Count(m => m.Body.ToString() == "fail"));
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_to_poison_without_an_invocation()
    {
        var sentAt = DateTimeOffset.UtcNow;
        var body = "not base64 " + Guid.NewGuid();
        await fixture.SendAsync("bare-work", body, base64: false);

        await fixture.WaitForPoisonAsync("bare-work-poison", b => b == body, Wait);
        // Tests of this class run one at a time, so nothing else is on bare-work now.
        Assert.DoesNotContain(fixture.Host.Invocations, r => r.FunctionName == "QueueWork" && r.Started >= sentAt);
    }

    [Fact]
    public async Task The_timer_fires_on_its_schedule_from_an_app_setting()
    {
        var after = DateTimeOffset.UtcNow;
        var record = await fixture.Host.WaitForInvocationAsync(r => r.FunctionName == "Tick" && r.Started >= after, Wait);
        Assert.Equal(("timer", InvocationStatus.Success), (record.TriggerKind, record.Status));
        var tick = await fixture.WaitForReportAsync("bare-ticks", _ => true, Wait);
        Assert.False(tick.GetProperty("isPastDue").GetBoolean());
    }

    [Fact]
    public async Task StopAsync_terminates_the_worker_which_exits_on_its_own()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var host = await StartPrivateHostAsync(log.Enqueue);
        var worker = Process.GetProcessById(host.WorkerProcessId);
        // Wait until the worker's own HTTP server is up: a WorkerTerminate during the worker's start-up
        // cancels it, and the 2.52 worker then dies of the TaskCanceledException (exit code 134).
        using (var client = new HttpClient { BaseAddress = host.BaseAddress })
        {
            (await client.GetAsync("v1/widget/config")).EnsureSuccessStatusCode();
        }

        await host.StopAsync();

        // WorkerTerminate makes the worker stop its application: exit code 0, not a kill.
        Assert.True(worker.HasExited);
        var exitCode = await host.WorkerExited;
        Assert.True(exitCode == 0, $"The worker exited with code {exitCode}:\n{string.Join('\n', log)}");
        await host.DisposeAsync();
    }

    [Fact]
    public async Task A_worker_that_dies_is_reported_and_its_requests_fail()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var host = await StartPrivateHostAsync(log.Enqueue);
        await using (host)
        {
            Process.GetProcessById(host.WorkerProcessId).Kill();
            await host.WorkerExited.WaitAsync(Wait);

            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            using var response = await client.GetAsync("v1/widget/config");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            var record = await host.WaitForInvocationAsync(r => r.FunctionName == "WidgetConfig", Wait);
            Assert.Equal(InvocationStatus.Failure, record.Status);
            Assert.Contains(log, line => line.Contains("ERROR: The worker process", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_StartAsync_with_its_output()
    {
        var app = Directory.CreateTempSubdirectory("trackelio-devhost-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(app, "worker.config.json"),
                """{"description":{"language":"dotnet-isolated","defaultExecutablePath":"dotnet","defaultWorkerPath":"Missing.dll"}}""");
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                FunctionsDevHost.StartAsync(new DevHostOptions { AppDirectory = app }));
            Assert.Contains("exited with code", failure.Message);
            Assert.Contains("Missing.dll", failure.Message); // dotnet's own complaint, from the worker output
        }
        finally
        {
            Directory.Delete(app, recursive: true);
        }
    }

    [Fact]
    public async Task A_function_disabled_by_its_app_setting_is_not_routed_nor_triggered()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var host = await StartPrivateHostAsync(log.Enqueue, new()
        {
            ["AzureWebJobs.Echo.Disabled"] = "true",
            ["AzureWebJobs__QueueWork__Disabled"] = "1",
        });
        await using (host)
        {
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            using var echo = await client.GetAsync("v1/echo/1");
            Assert.Equal(HttpStatusCode.NotFound, echo.StatusCode);
            using var config = await client.GetAsync("v1/widget/config");
            Assert.Equal(HttpStatusCode.OK, config.StatusCode);
            Assert.Contains(log, line => line.Contains("function 'Echo' is disabled", StringComparison.Ordinal));
            Assert.Contains(log, line => line.Contains("function 'QueueWork' is disabled", StringComparison.Ordinal));
            Assert.DoesNotContain(log, line => line.Contains("function 'Throw' is disabled", StringComparison.Ordinal));
        }
    }

    private async Task<FunctionsDevHost> StartPrivateHostAsync(Action<string>? log = null, Dictionary<string, string?>? extra = null)
    {
        var settings = DevHostFixture.Settings(fixture.Azurite);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }
        // Its own triggers stay away from the shared queues and the shared host's timer.
        settings["BareTimerSchedule"] = "0 0 0 1 1 *";
        settings["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:01:00";
        return await FunctionsDevHost.StartAsync(new DevHostOptions { AppDirectory = DevHostFixture.BareWorkerDirectory, Settings = settings, Log = log });
    }

    /// <summary>A body written in 64 KiB pieces as the server reads it, without a known length.</summary>
    private sealed class StreamingContent(long size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
