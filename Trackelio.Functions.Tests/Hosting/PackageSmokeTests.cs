using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Packaging;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// The zip, unpacked and started exactly as the Functions host starts a custom handler
/// (azure-functions-host at 89dc438d: <c>HttpWorkerOptionsSetup</c>, <c>HttpWorkerProcess.CreateWorkerProcess</c>,
/// <c>DefaultWorkerProcessFactory</c>): the executable from host.json, in its working directory (the app
/// root), no arguments, the app settings plus <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and the worker id in
/// its environment. Then, like the host: it waits for any answer on <c>GET /</c> (30 s), forwards HTTP
/// requests as they are, and runs queue triggers as invocations of the queue named in each
/// function.json. Also run by <c>scripts/package.sh --smoke</c>.
/// </summary>
public sealed class PackageSmokeTests
{
    [Fact]
    public async Task Unpacked_zip_starts_like_under_the_host_serves_config_and_runs_both_queue_functions()
    {
        var directory = PackagedApp.Extract(await PackagedApp.ZipAsync());
        await using var azurite = await AzuriteServer.StartPrivateAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            // The receiver listens on loopback, which the webhook SSRF guard refuses by default.
            ["Trackelio__Webhooks__AllowPrivateTargets"] = "true",
        };
        try
        {
            var executable = FunctionZip.CustomHandlerExecutable(directory);
            var keys = JsonNode.Parse(await RunToEndAsync(executable, directory, settings,
                "bootstrap", "--workspace", "Smoke", "--owner-email", "smoke@example.com"))!;
            var (projectKey, adminKey) = (keys["project_key"]!.GetValue<string>(), keys["admin_key"]!.GetValue<string>());

            var port = FreePort();
            using var handler = StartLikeTheHost(executable, directory, settings, port);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            try
            {
                var probe = await ProbeAsync(http, handler.Process);
                Assert.Equal(HttpStatusCode.OK, probe);

                var config = await http.GetAsync("/v1/widget/config?key=" + projectKey);
                Assert.Equal(HttpStatusCode.OK, config.StatusCode);
                Assert.Equal(keys["widget_id"]!.GetValue<string>(), (await config.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["widget_id"]!.GetValue<string>());

                using var admin = new HttpClient { BaseAddress = http.BaseAddress };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
                var hook = await admin.PostAsync("/v1/webhooks", Json.Body(new { url = receiver.Url, events = new[] { WebhookEvents.FeedbackCreated } }));
                Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
                var submit = await http.SendAsync(WidgetRequests.Submit(projectKey, new { description = "smoke", item_type = "bug" }));
                Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
                var feedbackId = (await submit.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<string>();

                // The host reads the queue each function.json names and invokes the function with each message.
                var account = azurite.CreateAccount();
                var enrich = await HostQueueListener.InvokeNextAsync(account.GetQueueClient(TriggerQueue(directory, "EnrichSubmission")), http,
                    "EnrichSubmission", QueueInvocationEndpoints.TriggerBindingName);
                Assert.Equal(HttpStatusCode.OK, enrich.StatusCode);
                var record = await admin.GetAsync("/v1/feedback/" + feedbackId);
                Assert.Equal(HttpStatusCode.OK, record.StatusCode);
                var deliver = await HostQueueListener.InvokeNextAsync(account.GetQueueClient(TriggerQueue(directory, "DeliverWebhook")), http,
                    "DeliverWebhook", QueueInvocationEndpoints.TriggerBindingName);
                Assert.Equal(HttpStatusCode.OK, deliver.StatusCode);

                var delivered = Assert.Single(receiver.Requests);
                Assert.Equal(feedbackId, JsonDocument.Parse(delivered.Body).RootElement.GetProperty("data").GetProperty("id").GetString());
                Assert.Empty((await account.GetQueueClient(StorageNames.Queues.SubmissionsPoison).PeekMessagesAsync(32)).Value);
                Assert.Empty((await account.GetQueueClient(StorageNames.Queues.WebhooksPoison).PeekMessagesAsync(32)).Value);

                // Under the host the app warmed itself up while starting (ColdStartWarmUp): its one request, a preflight
                // for the config, went through routing and was answered by the preflight middleware.
                var warmedUp = await WaitForOutputAsync(handler, "Cold-start warm-up done");
                Assert.Contains("(204)", warmedUp);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.Message}\n--- the handler's output ---\n{handler.Output}", ex);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The first line of the handler's output that contains <paramref name="text"/> (its logs are written asynchronously).</summary>
    private static async Task<string> WaitForOutputAsync(RunningHandler handler, string text)
    {
        for (var waited = 0; waited < 10_000; waited += 50)
        {
            var line = handler.Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"The handler never wrote \"{text}\".");
    }

    private static string TriggerQueue(string directory, string function) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, function, "function.json")))!["bindings"]![0]!["queueName"]!.GetValue<string>();

    /// <summary>Like <c>IsWorkerReady</c>: GET / every 25 ms while the connection is refused, for at most 30 s.</summary>
    private static async Task<HttpStatusCode> ProbeAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync("/");
                return response.StatusCode;
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException && DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(25);
            }
        }
    }

    private sealed class RunningHandler(Process process) : IDisposable
    {
        private readonly StringBuilder _output = new();

        public Process Process => process;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            process.Dispose();
        }
    }

    private static RunningHandler StartLikeTheHost(string executable, string directory, IReadOnlyDictionary<string, string> settings, int port)
    {
        var workerId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
            Arguments = "",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["FUNCTIONS_HTTPWORKER_PORT"] = $"{port}";
        start.Environment["FUNCTIONS_HTTPWORKER_ID"] = workerId;
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = $"{port}";
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId;
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = directory;
        var handler = new RunningHandler(Process.Start(start)!);
        handler.Process.OutputDataReceived += (_, e) => handler.Append(e.Data);
        handler.Process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
        handler.Process.BeginOutputReadLine();
        handler.Process.BeginErrorReadLine();
        return handler;
    }

    private static async Task<string> RunToEndAsync(string executable, string directory, IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Path.GetFileName(executable)} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
