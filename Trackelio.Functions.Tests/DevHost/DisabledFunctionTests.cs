using System.Net;
using Azure.Storage.Queues;
using Trackelio.DevHost;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.DevHost;

/// <summary>
/// A function disabled by its app setting (<c>AzureWebJobs.&lt;name&gt;.Disabled</c>, or
/// <c>AzureWebJobs__&lt;name&gt;__Disabled</c> on Linux) is indexed but never triggered, as in the
/// real host: its route is a 404, its queue is not read, its timer does not fire. On an Azurite of
/// its own, so the shared dev host's listener cannot take the message this test leaves on the queue.
/// </summary>
public sealed class DisabledFunctionTests : IAsyncLifetime
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();
    private AzuriteServer _azurite = null!;
    private FunctionsDevHost _host = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        var settings = DevHostFixture.Settings(_azurite);
        settings["AzureWebJobs__Echo__Disabled"] = "true";
        settings["AzureWebJobs.QueueWork.Disabled"] = "1";
        settings["AzureWebJobs__Tick__Disabled"] = "True";
        settings["BareTimerSchedule"] = "* * * * * *"; // every second, were it enabled
        _host = await FunctionsDevHost.StartAsync(new DevHostOptions { AppDirectory = DevHostFixture.BareWorkerDirectory, Settings = settings, Log = _log.Enqueue });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Disabled_functions_are_indexed_but_never_triggered()
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        var work = await QueueAsync("bare-work");
        await work.SendMessageAsync("left alone");
        // The enabled queue function in the same host shows that its listeners run.
        await (await QueueAsync("bare-work-message")).SendMessageAsync("taken");

        var echo = await client.GetAsync("v1/echo/1");
        var config = await client.GetAsync("v1/widget/config");
        await _host.WaitForInvocationAsync(r => r.FunctionName == "QueueWorkMessage", TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(2)); // two of Tick's seconds, many of the queue's 200 ms polls

        Assert.Contains(_host.Functions, f => f.Name == "Echo");
        Assert.Contains(_host.Functions, f => f.Name == "QueueWork");
        Assert.Contains(_host.Functions, f => f.Name == "Tick");
        Assert.Equal(HttpStatusCode.NotFound, echo.StatusCode);
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.DoesNotContain(_host.Invocations, r => r.FunctionName is "Echo" or "QueueWork" or "Tick");
        var waiting = (await work.PeekMessagesAsync()).Value;
        Assert.Equal("left alone", Assert.Single(waiting).Body.ToString());
        Assert.Contains(_log, line => line.Contains("Function 'QueueWork' is disabled", StringComparison.Ordinal));
    }

    /// <summary>A queue as the app writes it (base64, the host's default messageEncoding), created first.</summary>
    private async Task<QueueClient> QueueAsync(string name)
    {
        var queue = new QueueClient(_azurite.ConnectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        return queue;
    }
}
