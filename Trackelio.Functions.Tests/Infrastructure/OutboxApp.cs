using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The app on an Azurite of its own, its storage behind <see cref="FaultyStorage"/>, with no
/// background pump and outbox flush messages visible at once: a test decides when each queue
/// is worked through (<see cref="RunQueueAsync"/>), and no other app's pump takes its messages.
/// </summary>
public sealed class OutboxApp : TrackelioApp
{
    public FaultyStorage Faults { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:QueuePump:Enabled"] = "false",
        ["Trackelio:Webhooks:OutboxFlushDelay"] = "00:00:00",
    };

    protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton(sp => StorageAccount.Create(sp.GetRequiredService<IConfiguration>(), Faults.Configure)));
    }

    /// <summary>Runs the queue function <paramref name="functionName"/> on every message its queue has now; how many it took.</summary>
    public async Task<int> RunQueueAsync(string functionName)
    {
        var function = Services.GetServices<QueueFunction>().Single(f => f.Name == functionName);
        var account = Get<StorageAccount>();
        var pump = new QueuePump([function], new QueueFunctionRunner(Services, account, NullLogger<QueueFunctionRunner>.Instance), account,
            Get<StorageInitializer>(), Options.Create(new QueuePumpOptions { RetryDelay = TimeSpan.Zero }), NullLogger<QueuePump>.Instance);
        var taken = 0;
        while (await pump.PumpOnceAsync(function, account.GetQueueClient(function.QueueName), CancellationToken.None) is > 0 and var round)
        {
            taken += round;
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
