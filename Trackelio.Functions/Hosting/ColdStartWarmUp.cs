using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Under the Functions host, does the first widget config's one-time work while the app is still
/// starting, on threads of its own, so that the first config after the host's probe finds it done.
/// Two steps, each begun as soon as what it needs exists:
/// <list type="number">
/// <item><see cref="BeginUnderHost"/>, first thing in <c>Main</c>, with the storage setting read from the
/// environment (where the host puts the app settings): on its own thread, makes the storage account
/// the app then uses and resolves <see cref="WarmUpKey"/> (which never exists) through a
/// <see cref="WidgetDirectory"/> on it, which opens the connection and runs the directory's and the
/// storage client's code once (~80 ms of CPU: the pipeline, the HTTP client, the signing). While that
/// read is out, it runs the config path's JSON and hashing once on a made-up widget that is never
/// stored. All of it overlaps the host's own building on the main thread.</item>
/// <item><see cref="SendThrough"/>, once the request pipeline is built and before Kestrel listens:
/// sends one preflight, <c>OPTIONS /v1/widget/config</c> without an origin, through the pipeline, in
/// process. Routing builds its endpoints and its matcher on the first request it sees (~35 ms of CPU);
/// this is that request. The preflight middleware answers it 204 behind routing: no endpoint runs,
/// nothing is read or written, so nothing of the warm-up is left running when the first real request
/// comes.</item>
/// </list>
/// Dedicated threads, not the thread pool: on two cores the pool has two threads, and warm-up work
/// queued there would keep Kestrel from answering the probe. Measured with
/// <c>BENCH_ONLY=coldstart scripts/bench.sh</c> (docs/benchmarks.md, Cold start). Failures are logged and
/// change nothing: the first request then pays for the work instead.
/// </summary>
public sealed class ColdStartWarmUp
{
    public const string WarmUpKey = "pk_live_warmup0000000000000000000000000000000";
    public const string ConfigPath = "/v1/widget/config";

    private readonly TaskCompletionSource<StorageAccount> _account = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _storageSetting;
    private readonly Task<TimeSpan> _storageStep;
    private Task<(TimeSpan Elapsed, int Status)>? _pipelineStep;

    private ColdStartWarmUp(IConfiguration settings, string storageSetting)
    {
        _storageSetting = storageSetting;
        _storageStep = OnOwnThread(() => WarmStorageAndJson(settings));
    }

    /// <summary>
    /// Under the host (<see cref="HostingExtensions.HostPortSetting"/> in the environment), begins the first step with
    /// the storage setting the environment holds; otherwise, or without a storage setting, returns null.
    /// Call it before building the host: it needs nothing the host builds, and costs the main thread
    /// only reading the environment.
    /// </summary>
    public static ColdStartWarmUp? BeginUnderHost() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HostingExtensions.HostPortSetting))
            ? null
            : Begin(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>Begins the first step with the storage setting in <paramref name="settings"/>; null without one.</summary>
    public static ColdStartWarmUp? Begin(IConfiguration settings)
    {
        var setting = SettingOf(settings);
        return setting.Length == 0 ? null : new ColdStartWarmUp(settings, setting);
    }

    /// <summary>
    /// Registers the warm-up for the second step and, when the app's configuration names the same
    /// storage as the settings it began with, the warm-up's storage account for the app to use (so the
    /// connection opened here is the one requests use; <c>AddStorage</c> keeps it). A setting that makes
    /// no account is reported when the app first needs storage, as without the warm-up. When the app's
    /// configuration names other storage, the app makes its own account.
    /// </summary>
    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        if (SettingOf(configuration) == _storageSetting)
        {
            services.AddSingleton(_ => _account.Task.GetAwaiter().GetResult());
        }
        services.AddSingleton(this);
    }

    /// <summary>The storage setting as written: the connection string, or the identity settings' keys and values; empty without one.</summary>
    private static string SettingOf(IConfiguration configuration) =>
        configuration[StorageSettings.SettingName] ?? configuration.GetConnectionString(StorageSettings.SettingName)
            ?? string.Join(';', configuration.GetSection(StorageSettings.SettingName).AsEnumerable(makePathsRelative: true)
                .Where(setting => setting.Value is not null).OrderBy(setting => setting.Key, StringComparer.Ordinal)
                .Select(setting => $"{setting.Key}={setting.Value}"));

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
        _pipelineStep = OnOwnThread(() =>
        {
            var clock = Stopwatch.StartNew();
            var scope = services.CreateAsyncScope();
            try
            {
                var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
                context.Request.Method = HttpMethods.Options; // a preflight without an origin: answered 204 behind routing, no endpoint runs
                context.Request.Scheme = "http";
                context.Request.Host = new HostString("127.0.0.1");
                context.Request.Path = ConfigPath;
                pipeline(context).GetAwaiter().GetResult();
                return (clock.Elapsed, context.Response.StatusCode);
            }
            finally
            {
                scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        });
        var logger = services.GetRequiredService<ILogger<ColdStartWarmUp>>();
        _ = Completion().ContinueWith(done =>
        {
            if (done.IsCompletedSuccessfully)
            {
                var (storage, routed, status) = done.Result;
                logger.LogInformation("Cold-start warm-up done: storage connection and JSON {StorageMs:F0} ms, first request through the pipeline {PipelineMs:F0} ms ({Status})",
                    storage.TotalMilliseconds, routed.TotalMilliseconds, status);
            }
            else
            {
                logger.LogInformation(done.Exception?.GetBaseException(), "Cold-start warm-up failed; the first request pays for the start-up work instead");
            }
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// Makes the storage account, sends the read, runs the JSON while it is out, then waits for the
    /// read: the step's work stays on this thread (and its priority), but for the read's own
    /// continuations. The directory is a throwaway one like the app's (whose services are not built
    /// yet): the code it runs is the same.
    /// </summary>
    private TimeSpan WarmStorageAndJson(IConfiguration settings)
    {
        var clock = Stopwatch.StartNew();
        StorageAccount storage;
        try
        {
            storage = StorageAccount.Create(settings);
        }
        catch (Exception ex)
        {
            _account.SetException(ex);
            throw;
        }
        _account.SetResult(storage);
        var directory = new WidgetDirectory(new TableProjectKeyStore(storage), new TableWidgetStore(storage), TimeProvider.System,
            Options.Create(new WidgetDirectoryOptions()));
        var read = directory.ResolveAsync(WarmUpKey).AsTask();
        try
        {
            RunConfigPathOnce();
        }
        finally
        {
            read.GetAwaiter().GetResult();
        }
        return clock.Elapsed;
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

    /// <summary>Runs <paramref name="work"/> on a new background thread; the task completes with it.</summary>
    private static Task<T> OnOwnThread<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                YieldToStartUp();
                done.SetResult(work());
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
    /// <summary>Registers a warm-up begun by <see cref="ColdStartWarmUp.BeginUnderHost"/> (nothing when there is none).</summary>
    public static WebApplicationBuilder AddColdStartWarmUp(this WebApplicationBuilder builder, ColdStartWarmUp? warmUp)
    {
        warmUp?.Register(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Under the host (when a warm-up is registered), sends the warm-up request through the rest of the
    /// pipeline as soon as it is built. Call it before <c>UseRouting</c>, whose matcher that request
    /// builds. Costs requests nothing: the pipeline is passed on as is.
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
