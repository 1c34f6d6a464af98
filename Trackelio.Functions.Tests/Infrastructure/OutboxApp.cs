using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The app on an Azurite of its own, its storage behind a fault proxy (<see cref="ProxiedApp"/>),
/// with its queue triggers disabled and outbox flush messages visible at once: a test decides when
/// each queue is worked through (<see cref="RunQueueAsync"/>), and no other app takes its messages.
/// </summary>
public sealed class OutboxApp : ProxiedApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AzureWebJobs:EnrichSubmission:Disabled"] = "true",
        ["AzureWebJobs:FlushEventOutbox:Disabled"] = "true",
        ["AzureWebJobs:DeliverWebhook:Disabled"] = "true",
        ["Trackelio:Webhooks:OutboxFlushDelay"] = "00:00:00",
    };

    protected override Task<AzuriteServer> StartProxiedAzuriteAsync() => AzuriteServer.StartPrivateAsync();

    /// <summary>
    /// Works through every message the queue of <paramref name="functionName"/> has now, with the
    /// function's own handler (the app's queue triggers for these queues are disabled, as an app
    /// setting disables a function): how many it took. The handler runs here, in the test process,
    /// with the app's modules on the same storage (not through the proxy: faults are for the app's
    /// requests): the host has no way to run a disabled function on demand, and a live trigger
    /// would work the queue before the test has looked at what the failure left behind.
    /// </summary>
    public async Task<int> RunQueueAsync(string functionName)
    {
        var function = Services.GetServices<QueueFunction>().Single(f => f.Name == functionName);
        var queue = Get<StorageAccount>().GetQueueClient(function.QueueName);
        var runner = Get<QueueFunctionRunner>();
        var taken = 0;
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                if (await runner.RunAsync(function, message.MessageText, message.DequeueCount, CancellationToken.None))
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else
                {
                    await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
                taken++;
            }
        }
        return taken;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OutboxCollection : ICollectionFixture<OutboxApp>
{
    public const string Name = "App with an outbox on a faulty Azurite of its own";
}
