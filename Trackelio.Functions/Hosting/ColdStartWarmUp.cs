using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, once the app listens, sends itself one widget request with a key that
/// does not exist (<c>GET /v1/widget/config?key=pk_live_warmup…</c> → 401). That builds the route
/// table, runs the project-key filter and opens the storage connection the first real request
/// needs, in the background while the host is still probing and routing its first invocation,
/// instead of on that request's clock. Failures only get logged: it is an optimisation.
/// </summary>
public sealed class ColdStartWarmUp(IServer server, IHostApplicationLifetime lifetime, ILogger<ColdStartWarmUp> logger) : IHostedService
{
    public const string WarmUpKey = "pk_live_warmup0000000000000000000000000000000";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(WarmUpAsync));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WarmUpAsync()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return; // an in-memory test server: nothing to call
        }
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var response = await http.GetAsync(address.TrimEnd('/') + "/v1/widget/config?key=" + WarmUpKey, lifetime.ApplicationStopping);
            logger.LogDebug("Warm-up request answered {Status}", (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation(ex, "Warm-up request failed; the first request pays for the start-up work instead");
        }
    }
}
