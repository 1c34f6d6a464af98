using System.Diagnostics;
using System.Text.Json;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, does the first widget request's one-time work while the app is still
/// starting, on threads of its own, so that the first config after the host's probe finds it done.
/// Two steps, each begun as soon as what it needs exists:
/// <list type="number">
/// <item><see cref="Begin"/>, once the configuration is read: opens the storage connection by
/// resolving <see cref="WarmUpKey"/> (which never exists) on the app's own storage account, and runs
/// the config path's JSON and hashing once on a made-up widget that is never stored. The first
/// storage request pays for the pipeline, the HTTP client and the signing code: ~80 ms of CPU.</item>
/// <item><see cref="SendThrough"/>, once the request pipeline is built and before Kestrel listens:
/// sends one <c>GET /v1/widget/config</c> with that key through the pipeline, in process. Routing
/// builds its endpoints and its matcher on the first request it sees (~60 ms of CPU); this is that
/// request. It is answered 401, like any unknown key.</item>
/// </list>
/// Dedicated threads, not the thread pool: on two cores the pool has two threads, and warm-up work
/// queued there would keep Kestrel from answering the probe. Measured with
/// <c>BENCH_ONLY=coldstart scripts/bench.sh</c> (README, Cold start). Failures are logged and
/// change nothing: the first request then pays for the work instead.
/// </summary>
public sealed class ColdStartWarmUp
{
    public const string WarmUpKey = "pk_live_warmup0000000000000000000000000000000";
    public const string ConfigPath = "/v1/widget/config";

    private readonly StorageAccount _storage;
    private readonly Task<TimeSpan> _storageStep;
    private Task<(TimeSpan Elapsed, int Status)>? _pipelineStep;

    private ColdStartWarmUp(StorageAccount storage)
    {
        _storage = storage;
        _storageStep = OnOwnThread(WarmStorageAndJsonAsync);
    }

    /// <summary>
    /// Under the host: makes the app's storage account now (registered for the app to use, so the
    /// connection opened here is the one requests use), starts the first step and registers the
    /// warm-up for <see cref="UseColdStartWarmUp"/>. Without a usable storage setting it does
    /// nothing, and start-up reports the setting as it always does.
    /// </summary>
    public static void Begin(WebApplicationBuilder builder)
    {
        StorageAccount storage;
        try
        {
            storage = new StorageAccount(StorageConnection.FromConfiguration(builder.Configuration));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return; // AddStorage's registration makes the account later and reports the setting at its usual time
        }
        builder.Services.AddSingleton(storage.Connection);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(new ColdStartWarmUp(storage));
    }

    /// <summary>How long each step took and what the pipeline answered; logged once both are done.</summary>
    public async Task<(TimeSpan Storage, TimeSpan Pipeline, int Status)> Completion()
    {
        var storage = await _storageStep.ConfigureAwait(false);
        var (pipeline, status) = _pipelineStep is null ? (TimeSpan.Zero, 0) : await _pipelineStep.ConfigureAwait(false);
        return (storage, pipeline, status);
    }

    /// <summary>The second step: <paramref name="pipeline"/> is the built pipeline behind this point.</summary>
    public void SendThrough(RequestDelegate pipeline, IServiceProvider services)
    {
        _pipelineStep = OnOwnThread(async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var scope = services.CreateAsyncScope();
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("127.0.0.1");
            context.Request.Path = ConfigPath;
            context.Request.QueryString = QueryString.Create("key", WarmUpKey);
            await pipeline(context).ConfigureAwait(false);
            return (clock.Elapsed, context.Response.StatusCode);
        });
        var logger = services.GetRequiredService<ILogger<ColdStartWarmUp>>();
        _ = Completion().ContinueWith(done =>
        {
            if (done.IsCompletedSuccessfully)
            {
                var (storage, routed, status) = done.Result;
                logger.LogInformation("Cold-start warm-up done: storage connection {StorageMs:F0} ms, first request through the pipeline {PipelineMs:F0} ms ({Status})",
                    storage.TotalMilliseconds, routed.TotalMilliseconds, status);
            }
            else
            {
                logger.LogInformation(done.Exception?.GetBaseException(), "Cold-start warm-up failed; the first request pays for the start-up work instead");
            }
        }, TaskScheduler.Default);
    }

    private async Task<TimeSpan> WarmStorageAndJsonAsync()
    {
        var clock = Stopwatch.StartNew();
        await new TableProjectKeyStore(_storage).FindAsync(WarmUpKey).ConfigureAwait(false);
        var elapsed = clock.Elapsed;
        RunConfigPathOnce();
        return elapsed;
    }

    /// <summary>The JSON of a stored key and widget, and the config built from them (serialized and hashed), once.</summary>
    private static void RunConfigPathOnce()
    {
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
    }

    /// <summary>
    /// On Linux, lowers this thread's scheduling priority (nice 10; an unprivileged thread may lower its own):
    /// when the two cores are contended, the main thread's start-up and the probe go first. .NET's
    /// <see cref="Thread.Priority"/> does nothing there. Elsewhere, or if refused, the thread keeps its priority.
    /// </summary>
    private static void YieldToStartUp()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            _ = LinuxScheduling.setpriority(LinuxScheduling.PrioProcess, LinuxScheduling.gettid(), 10);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>Runs <paramref name="work"/> on a new background thread, which waits for it.</summary>
    private static Task<T> OnOwnThread<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                YieldToStartUp();
                done.SetResult(work().GetAwaiter().GetResult());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "Trackelio cold-start warm-up" }.Start();
        return done.Task;
    }
}

internal static class LinuxScheduling
{
    public const int PrioProcess = 0; // with a thread id, setpriority applies to that thread alone

    [System.Runtime.InteropServices.DllImport("libc")]
    public static extern int setpriority(int which, int who, int prio);

    [System.Runtime.InteropServices.DllImport("libc")]
    public static extern int gettid();
}

public static class ColdStartWarmUpExtensions
{
    /// <summary>
    /// Under the host (when <see cref="ColdStartWarmUp.Begin"/> ran), sends the warm-up request through
    /// the rest of the pipeline as soon as it is built. Call it before <c>UseRouting</c>, whose matcher that
    /// request builds. Costs requests nothing: the pipeline is passed on as is.
    /// </summary>
    public static IApplicationBuilder UseColdStartWarmUp(this IApplicationBuilder app)
    {
        var warmUp = app.ApplicationServices.GetService<ColdStartWarmUp>();
        return warmUp is null ? app : app.Use(next =>
        {
            warmUp.SendThrough(next, app.ApplicationServices);
            return next;
        });
    }
}
