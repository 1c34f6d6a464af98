using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Trackelio.DevHost;

/// <summary>
/// Runs one isolated-worker app as the Azure Functions host runs it: the worker process, its gRPC
/// event stream, the HTTP front door and the queue and timer triggers. See docs/devhost.md.
/// </summary>
public sealed class FunctionsDevHost : IAsyncDisposable
{
    // WorkerProcessCountOptions / GrpcWorkerChannel timeouts.
    private static readonly TimeSpan ProcessStartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InitializationTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FunctionLoadTimeout = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ProcessShutdownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan WorkerTerminateGracePeriod = TimeSpan.FromSeconds(5);

    private readonly WebApplication _grpc;
    private readonly WorkerProcess _worker;
    private readonly WorkerChannel _channel;
    private readonly FunctionInvoker _invoker;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _listeners = [];
    private readonly Action<string>? _log;
    private WebApplication? _frontDoor;
    private HttpMessageInvoker? _proxyClient;
    private Task? _stopped;

    private FunctionsDevHost(WebApplication grpc, WorkerProcess worker, WorkerChannel channel, Action<string>? log)
    {
        _grpc = grpc;
        _worker = worker;
        _channel = channel;
        _log = log;
        _invoker = new FunctionInvoker(channel, log);
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/, the front door.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public IReadOnlyList<IndexedFunction> Functions { get; private set; } = [];

    /// <summary>Finished invocations, in the order they finished.</summary>
    public IReadOnlyCollection<InvocationRecord> Invocations => _invoker.Records;

    public int WorkerProcessId => _worker.Id;

    /// <summary>Completes with the exit code when the worker process exits.</summary>
    public Task<int> WorkerExited => _worker.Exited;

    public Task<InvocationRecord> WaitForInvocationAsync(Func<InvocationRecord, bool> match, TimeSpan timeout) => _invoker.WaitAsync(match, timeout);

    /// <summary>Starts the worker and returns once every function is loaded; throws with the worker's output when it dies or times out.</summary>
    public static async Task<FunctionsDevHost> StartAsync(DevHostOptions options, CancellationToken cancellationToken = default)
    {
        var appDirectory = Path.GetFullPath(options.AppDirectory);
        var workerConfig = WorkerConfig.Load(appDirectory);
        var hostConfiguration = HostConfiguration.Load(appDirectory, options.Settings);
        var log = options.Log;

        var workerId = Guid.NewGuid().ToString();
        var channel = new WorkerChannel(workerId, log);
        var registry = new WorkerChannelRegistry();
        registry.Add(channel);
        var grpc = await StartGrpcServerAsync(registry, cancellationToken);
        var serverUri = new Uri(grpc.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        WorkerProcess worker;
        try
        {
            worker = WorkerProcess.Start(workerConfig, appDirectory, serverUri, workerId, Guid.NewGuid().ToString(),
                options.Settings.AsReadOnly(), log);
        }
        catch
        {
            await grpc.DisposeAsync();
            throw;
        }
        var host = new FunctionsDevHost(grpc, worker, channel, log);
        _ = worker.Exited.ContinueWith(t =>
        {
            var message = $"The worker process {worker.Id} exited with code {t.Result}.";
            log?.Invoke(host._stopped is null ? $"[host] ERROR: {message} Last output:\n{worker.RecentOutput}" : $"[host] {message}");
            channel.Fail(new InvalidOperationException(message));
        }, TaskScheduler.Default);

        try
        {
            await host.HandshakeAsync(appDirectory, cancellationToken);
            await host.StartTriggersAsync(options, hostConfiguration);
            return host;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await host.StopAsync();
            await host.DisposeAsync();
            throw new InvalidOperationException(
                $"The dev host could not start the worker in {appDirectory}: {ex.Message}\nWorker output:\n{worker.RecentOutput}", ex);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>AspNetCoreGrpcServer: Kestrel on 127.0.0.1, a free port, HTTP/2 only (the worker speaks h2c with prior knowledge), no message size limit.</summary>
    private static async Task<WebApplication> StartGrpcServerAsync(WorkerChannelRegistry registry, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse("127.0.0.1"), 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(registry);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = int.MaxValue;
            grpc.MaxSendMessageSize = int.MaxValue;
        });
        var app = builder.Build();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>GrpcWorkerChannel: StartStream, WorkerInitRequest, FunctionsMetadataRequest, FunctionLoadRequest per function.</summary>
    private async Task HandshakeAsync(string appDirectory, CancellationToken cancellationToken)
    {
        var connected = await Task.WhenAny(_channel.Connected, _worker.Exited, Task.Delay(ProcessStartupTimeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (connected != _channel.Connected)
        {
            throw _worker.Exited.IsCompleted
                ? new InvalidOperationException($"The worker process exited with code {_worker.Exited.Result} before it opened its event stream.")
                : new TimeoutException($"The worker did not open its event stream (StartStream) within {ProcessStartupTimeout.TotalSeconds:0} s.");
        }
        var init = await _channel.InitializeAsync(appDirectory, InitializationTimeout);
        _log?.Invoke($"[host] worker {init.WorkerMetadata?.RuntimeName} {init.WorkerMetadata?.RuntimeVersion}, worker version {init.WorkerVersion}, HttpUri {_channel.HttpUri}");

        var metadata = await _channel.GetFunctionMetadataAsync(appDirectory, FunctionLoadTimeout);
        if (metadata.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked for host indexing (use_default_metadata_indexing); the dev host supports worker indexing only.");
        }
        Functions = metadata.FunctionMetadataResults.Select(IndexedFunction.FromMetadata).ToList();
        await _channel.LoadFunctionsAsync(Functions, FunctionLoadTimeout);
    }

    private async Task StartTriggersAsync(DevHostOptions options, HostConfiguration host)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // The host's Kestrel limit (ScriptConstants.DefaultMaxRequestBodySize, 100 MiB).
            kestrel.Limits.MaxRequestBodySize = 104857600;
            kestrel.Listen(IPAddress.Loopback, options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();
        var app = builder.Build();
        var enabled = Functions.Where(f => !host.IsDisabled(f.Name)).ToList();
        foreach (var function in Functions.Except(enabled))
        {
            _log?.Invoke($"[host] function '{function.Name}' is disabled (AzureWebJobs.{function.Name}.Disabled).");
        }
        var routes = new HttpRouteTable(enabled.Where(f => f.TriggerType.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)),
            host.RoutePrefix, app.Services.GetRequiredService<IInlineConstraintResolver>());
        _proxyClient = HttpFrontDoor.CreateProxyClient(_log);
        var frontDoor = new HttpFrontDoor(routes, _invoker, app.Services.GetRequiredService<IHttpForwarder>(), _proxyClient);
        app.Run(frontDoor.HandleAsync);
        await app.StartAsync();
        _frontDoor = app;
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        BaseAddress = new Uri($"http://127.0.0.1:{address.Port}/");

        var queueOptions = QueueOptions.From(host);
        foreach (var function in enabled)
        {
            if (function.TriggerType.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var listener = new QueueTriggerListener(function, _invoker, queueOptions, host, _log);
                _listeners.Add(Task.Run(() => listener.RunAsync(_stopping.Token)));
            }
            else if (function.TriggerType.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
            {
                var scheduler = new TimerTriggerScheduler(function, _invoker, host);
                _listeners.Add(Task.Run(() => scheduler.RunAsync(_stopping.Token)));
            }
            else if (!function.TriggerType.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                _log?.Invoke($"[host] WARNING: function '{function.Name}' has a {function.TriggerType} trigger, which the dev host does not run.");
            }
        }
    }

    /// <summary>Stops the triggers, sends WorkerTerminate with the host's grace period, and kills the worker after 10 s.</summary>
    public Task StopAsync() => _stopped ??= StopCoreAsync();

    private async Task StopCoreAsync()
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_listeners);
        if (_frontDoor is not null)
        {
            await _frontDoor.StopAsync(TimeSpan.FromSeconds(5));
        }
        _channel.Terminate(WorkerTerminateGracePeriod);
        await _worker.StopAsync(ProcessShutdownTimeout);
        await _grpc.StopAsync(TimeSpan.FromSeconds(2));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_frontDoor is not null)
        {
            await _frontDoor.DisposeAsync();
        }
        await _grpc.DisposeAsync();
        _proxyClient?.Dispose();
        _worker.Dispose();
        _stopping.Dispose();
    }
}
