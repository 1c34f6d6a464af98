namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The app with its storage behind a <see cref="StorageProxy"/>: its requests (and the host's
/// trigger polls, which read the same <c>AzureWebJobsStorage</c>) meet the proxy's faults and are
/// logged. The test's own <see cref="TrackelioApp.Services"/> go straight to Azurite: arranging
/// data and reading what the app wrote are not the app's requests, and must not be refused,
/// frozen or counted with them.
/// </summary>
public abstract class ProxiedApp : TrackelioApp
{
    private StorageProxy? _proxy;

    public StorageProxy Proxy => _proxy ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>The faults the app's storage requests meet.</summary>
    public FaultyStorage Faults => Proxy.Faults;

    protected override string StorageConnectionString => Proxy.ConnectionString;

    protected override async Task<AzuriteServer> StartAzuriteAsync()
    {
        var azurite = await StartProxiedAzuriteAsync();
        _proxy = await StorageProxy.StartAsync(azurite);
        return azurite;
    }

    /// <summary>The Azurite behind the proxy: the run's shared one unless a fixture brings its own.</summary>
    protected virtual Task<AzuriteServer> StartProxiedAzuriteAsync() => AzuriteServer.GetAsync();

    public override async ValueTask DisposeAsync()
    {
        // Thawed first, so the app's held requests end and it stops in time.
        if (_proxy is not null)
        {
            _proxy.Faults.Frozen = false;
            _proxy.Faults.Fail(null);
        }
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }
}
