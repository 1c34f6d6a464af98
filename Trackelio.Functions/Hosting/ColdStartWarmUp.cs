using System.Text.Json;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, does the first widget request's one-time work before it arrives:
/// once the app listens (so the host's probe is not kept waiting), in the background, it opens
/// the storage connection by resolving a project key that does not exist through the widget
/// directory (the first storage request pays for the pipeline, the socket and the signing code),
/// and runs the config path's JSON and hashing once on a made-up widget that is never stored.
/// Measured with <c>BENCH_ONLY=coldstart scripts/bench.sh</c>: an earlier version that sent itself
/// an HTTP request cost more than it saved, and one that also built the endpoints did that work
/// twice (routing builds its own), ~35 ms of CPU for nothing. Failures only get logged: it is an
/// optimisation.
/// </summary>
public sealed class ColdStartWarmUp(IHostApplicationLifetime lifetime, IServiceProvider services, ILogger<ColdStartWarmUp> logger) : IHostedService
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
        try
        {
            var storage = Task.Run(async () => await services.GetRequiredService<WidgetDirectory>().ResolveAsync(WarmUpKey, lifetime.ApplicationStopping));
            var now = DateTimeOffset.UtcNow;
            var key = new ProjectKey { Key = WarmUpKey, WorkspaceId = "ws_warmup", WidgetId = "wdg_warmup", CreatedAt = now };
            var widget = new SiteWidget
            {
                Id = key.WidgetId,
                WorkspaceId = key.WorkspaceId,
                Name = "warm-up",
                ProjectKey = WarmUpKey,
                IdentitySecret = "",
                Config = new WidgetConfig(),
                CreatedAt = now,
                UpdatedAt = now,
            };
            var stored = JsonSerializer.Deserialize<SiteWidget>(JsonSerializer.SerializeToUtf8Bytes(widget, WorkspaceJson.Options), WorkspaceJson.Options)!;
            _ = JsonSerializer.Deserialize<ProjectKey>(JsonSerializer.SerializeToUtf8Bytes(key, WorkspaceJson.Options), WorkspaceJson.Options);
            _ = ResolvedWidget.Create(stored, key, now).ConfigResult;
            await storage;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogInformation(ex, "Warm-up failed; the first request pays for the start-up work instead");
        }
    }
}
