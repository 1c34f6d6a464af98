using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Storage.Queues;
using Trackelio.DevHost;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.DevHost;

/// <summary>
/// One shared Azurite and one dev host running the bare worker (scripts/devhost/BareWorker), with
/// queue retries made quick through AzureFunctionsJobHost__ overrides, as the real host takes them.
/// </summary>
public sealed class DevHostFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentDictionary<string, List<JsonElement>> _reports = new();

    public FunctionsDevHost Host { get; private set; } = null!;
    public AzuriteServer Azurite { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public string Log => string.Join('\n', _log);

    /// <summary>The bare worker's build output, built with the solution (the test project references it).</summary>
    public static string BareWorkerDirectory
    {
        get
        {
            // bin/<Configuration>/net10.0/ of the tests: the bare worker is built in the same configuration.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
            var directory = Path.Combine(RepositoryRoot.Path, "scripts", "devhost", "BareWorker", "bin", configuration, "net10.0");
            if (!File.Exists(Path.Combine(directory, "worker.config.json")))
            {
                throw new InvalidOperationException(
                    $"The bare worker is not built ({directory}/worker.config.json is missing): run 'dotnet build Trackelio.sln -c {configuration}'.");
            }
            return directory;
        }
    }

    public static Dictionary<string, string?> Settings(AzuriteServer azurite) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["BareTimerSchedule"] = "* * * * * *",
        ["AzureFunctionsJobHost__extensions__queues__maxDequeueCount"] = "2",
        ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.200",
        ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00",
    };

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.GetAsync();
        Host = await FunctionsDevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = BareWorkerDirectory,
            Settings = Settings(Azurite),
            Log = _log.Enqueue,
        });
        Client = new HttpClient { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }

    /// <summary>A queue client as the app writes: base64, which the host's default messageEncoding expects.</summary>
    public QueueClient Queue(string name, bool base64 = true)
        => new(Azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None });

    /// <summary>Sends a message as the app would, creating the queue first (the host's listener does not create it).</summary>
    public async Task<Azure.Storage.Queues.Models.SendReceipt> SendAsync(string queue, string text, bool base64 = true)
    {
        var client = Queue(queue, base64);
        await client.CreateIfNotExistsAsync();
        return (await client.SendMessageAsync(text)).Value;
    }

    /// <summary>Waits for the report a bare function wrote to <paramref name="queue"/>; reports of other tests are kept for them.</summary>
    public async Task<JsonElement> WaitForReportAsync(string queue, Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var client = Queue(queue, base64: false);
        var reports = _reports.GetOrAdd(queue, _ => []);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (reports)
            {
                var found = reports.Where(match).ToList();
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
            if (await client.ExistsAsync())
            {
                foreach (var message in (await client.ReceiveMessagesAsync(32)).Value)
                {
                    lock (reports)
                    {
                        reports.Add(JsonDocument.Parse(message.Body.ToString()).RootElement.Clone());
                    }
                    await client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No matching report on '{queue}' within {timeout.TotalSeconds} s. Dev host log:\n{Log}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Waits for a message on a poison queue whose raw body matches.</summary>
    public async Task<string> WaitForPoisonAsync(string queue, Func<string, bool> match, TimeSpan timeout)
    {
        var client = Queue(queue, base64: false);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await client.ExistsAsync())
            {
                foreach (var message in (await client.PeekMessagesAsync(32)).Value)
                {
                    if (match(message.Body.ToString()))
                    {
                        return message.Body.ToString();
                    }
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No matching message on '{queue}' within {timeout.TotalSeconds} s. Dev host log:\n{Log}");
            }
            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DevHostCollection : ICollectionFixture<DevHostFixture>
{
    public const string Name = "DevHost";
}
