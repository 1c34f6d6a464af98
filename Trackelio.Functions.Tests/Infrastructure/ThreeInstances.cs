using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Three instances of the app — three hosts with their own service providers, so their own
/// caches, limiter counts, long-poll signals and queue pumps — on one Azurite of their own (so
/// only these three take the submissions they queue) and one clock, as a scaled-out deployment
/// runs. Settings are the service's real ones except where named.
/// </summary>
public sealed class ThreeInstances : IAsyncLifetime
{
    /// <summary>Every instance signs attachment links with this key, as Bicep sets <c>Trackelio__LinkSigningKey</c>.</summary>
    public const string LinkSigningKey = "c2NhbGUtb3V0IHRlc3RzOiBvbmUga2V5IGZvciBhbGwgdGhyZWUgaW5zdGFuY2Vz";

    private AzuriteServer? _azurite;

    public ShiftedClock Clock { get; } = new();
    public IReadOnlyList<AppInstance> All { get; private set; } = [];
    public AppInstance A => All[0];
    public AppInstance B => All[1];
    public AppInstance C => All[2];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.StartPrivateAsync();
        All = [new AppInstance(_azurite, Clock), new AppInstance(_azurite, Clock), new AppInstance(_azurite, Clock)];
        await Task.WhenAll(All.Select(a => a.InitializeAsync()));
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in All)
        {
            await instance.DisposeAsync();
        }
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    public sealed class AppInstance(AzuriteServer azurite, ShiftedClock clock) : TrackelioApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Trackelio:RateLimits:ReadsPerMinute"] = "60",
            ["Trackelio:RateLimits:WritesPerMinute"] = "20",
            ["Trackelio:RateLimits:UserListsPerMinute"] = "30",
            ["Trackelio:LinkSigningKey"] = LinkSigningKey,
            // A loaded test machine is not a storage outage: keep the limiter from failing open mid-test.
            ["Trackelio:RateLimiting:StorageDeadline"] = "00:00:30",
            ["Trackelio:Testing:ClockFile"] = clock.File,
            // The real widget cache: what each instance serves between a change and the cache's expiry is what is tested.
            ["Trackelio:WidgetDirectory:CacheDuration"] = null,
        };

        protected override Task<AzuriteServer> StartAzuriteAsync() => Task.FromResult(azurite);

    }
}
