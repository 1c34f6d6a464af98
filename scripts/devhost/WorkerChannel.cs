using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>
/// One worker's event stream (GrpcWorkerChannel): the handshake in order (WorkerInitRequest,
/// FunctionsMetadataRequest, FunctionLoadRequest per function), invocations correlated by id, and
/// RpcLog forwarded to the log. Writes go through one queue because a gRPC stream takes one writer.
/// </summary>
internal sealed class WorkerChannel
{
    // ScriptHost.Version of the host release the research read (4.1037.0).
    internal const string HostVersion = "4.1037.0.0";

    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<StreamingMessage.ContentOneofCase, TaskCompletionSource<StreamingMessage>> _nextResponse = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new();
    private readonly Action<string>? _log;
    private Exception? _failure;

    public WorkerChannel(string workerId, Action<string>? log)
    {
        WorkerId = workerId;
        _log = log;
    }

    public string WorkerId { get; }

    /// <summary>Completes when the worker's StartStream arrived.</summary>
    public Task Connected => _connected.Task;

    /// <summary>The worker's capabilities from WorkerInitResponse (GrpcCapabilities).</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The worker's HttpUri capability: set for a proxying worker (ASP.NET Core integration).</summary>
    public Uri? HttpUri { get; private set; }

    /// <summary>Runs the stream until the worker closes it or the host stops.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, CancellationToken cancellationToken)
    {
        _connected.TrySetResult();
        var writer = Task.Run(async () =>
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responseStream.WriteAsync(message, cancellationToken);
            }
        }, cancellationToken);
        try
        {
            while (await requestStream.MoveNext(cancellationToken))
            {
                Dispatch(requestStream.Current);
            }
            Fail(new InvalidOperationException("The worker closed its event stream."));
        }
        catch (Exception ex) when (ex is IOException or Grpc.Core.RpcException or OperationCanceledException)
        {
            Fail(new InvalidOperationException("The worker's event stream broke: " + ex.Message, ex));
        }
        finally
        {
            _outbound.Writer.TryComplete();
            _closed.TrySetResult();
        }
        try
        {
            await writer;
        }
        catch (Exception ex) when (ex is IOException or Grpc.Core.RpcException or OperationCanceledException or InvalidOperationException)
        {
        }
    }

    /// <summary>Fails everything still waiting on the worker (it died or the stream broke).</summary>
    public void Fail(Exception reason)
    {
        _failure ??= reason;
        foreach (var pending in _nextResponse.Values)
        {
            pending.TrySetException(reason);
        }
        foreach (var pending in _loads.Values)
        {
            pending.TrySetException(reason);
        }
        foreach (var pending in _invocations.Values)
        {
            pending.TrySetException(reason);
        }
    }

    /// <summary>GrpcWorkerChannel.SendWorkerInitRequest / GetWorkerInitRequest.</summary>
    public async Task<WorkerInitResponse> InitializeAsync(string appDirectory, TimeSpan timeout)
    {
        var request = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = appDirectory,
            FunctionAppDirectory = appDirectory,
        };
        // Always advertised; V2Compatable and FunctionDataCache only in modes this host never runs.
        request.Capabilities["MultiStream"] = "10";
        var response = (await RequestAsync(new StreamingMessage { WorkerInitRequest = request }, StreamingMessage.ContentOneofCase.WorkerInitResponse, timeout, "WorkerInitResponse")).WorkerInitResponse;
        ThrowIfFailed(response.Result, "The worker failed to initialize");
        // ApplyCapabilities: HttpUri makes it a proxying worker.
        Capabilities = new Dictionary<string, string>(response.Capabilities);
        if (response.Capabilities.TryGetValue("HttpUri", out var httpUri) && !string.IsNullOrEmpty(httpUri))
        {
            HttpUri = new Uri(httpUri);
        }
        return response;
    }

    /// <summary>GrpcWorkerChannel.SendFunctionMetadataRequest.</summary>
    public async Task<FunctionMetadataResponse> GetFunctionMetadataAsync(string appDirectory, TimeSpan timeout)
    {
        var response = (await RequestAsync(
            new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory } },
            StreamingMessage.ContentOneofCase.FunctionMetadataResponse, timeout, "FunctionMetadataResponse")).FunctionMetadataResponse;
        ThrowIfFailed(response.Result, "The worker failed to index its functions");
        return response;
    }

    /// <summary>GrpcWorkerChannel.SendFunctionLoadRequests: one FunctionLoadRequest per function (the dotnet worker does not advertise SupportsLoadResponseCollection).</summary>
    public async Task LoadFunctionsAsync(IEnumerable<IndexedFunction> functions, TimeSpan timeout)
    {
        var waits = new List<Task<FunctionLoadResponse>>();
        foreach (var function in functions)
        {
            var pending = new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
            _loads[function.FunctionId] = pending;
            waits.Add(pending.Task);
            Send(new StreamingMessage { FunctionLoadRequest = function.ToLoadRequest() });
        }
        ThrowIfFailed();
        var all = Task.WhenAll(waits);
        if (await Task.WhenAny(all, Task.Delay(timeout)) != all)
        {
            throw new TimeoutException($"The worker did not answer every FunctionLoadRequest within {timeout.TotalSeconds:0} s.");
        }
        foreach (var response in await all)
        {
            ThrowIfFailed(response.Result, $"The worker failed to load function {response.FunctionId}");
        }
    }

    /// <summary>Registers an invocation before its request is sent, so its response cannot be missed.</summary>
    public Task<InvocationResponse> ExpectInvocation(string invocationId)
    {
        var pending = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _invocations[invocationId] = pending;
        if (_failure is not null)
        {
            pending.TrySetException(_failure);
        }
        return pending.Task;
    }

    public void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw _failure ?? new InvalidOperationException("The worker's event stream is closed.");
        }
    }

    /// <summary>GrpcWorkerChannel.SendWorkerTerminate (WorkerConstants.WorkerTerminateGracePeriodInSeconds = 5).</summary>
    public void Terminate(TimeSpan gracePeriod)
    {
        if (Connected.IsCompleted && !_closed.Task.IsCompleted)
        {
            _outbound.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });
        }
    }

    private async Task<StreamingMessage> RequestAsync(StreamingMessage request, StreamingMessage.ContentOneofCase responseCase, TimeSpan timeout, string what)
    {
        var pending = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _nextResponse[responseCase] = pending;
        ThrowIfFailed();
        Send(request);
        if (await Task.WhenAny(pending.Task, Task.Delay(timeout)) != pending.Task)
        {
            throw new TimeoutException($"The worker did not send {what} within {timeout.TotalSeconds:0} s.");
        }
        return await pending.Task;
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                var log = message.RpcLog;
                _log?.Invoke($"[{log.Level}] {log.Category}: {log.Message}{(log.Exception is null ? "" : " " + log.Exception.Message)}");
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                if (_loads.TryRemove(message.FunctionLoadResponse.FunctionId, out var load))
                {
                    load.TrySetResult(message.FunctionLoadResponse);
                }
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }
                break;
            case StreamingMessage.ContentOneofCase.WorkerStatusRequest:
                // GrpcWorkerChannel answers a worker's status request with an empty response.
                Send(new StreamingMessage { RequestId = message.RequestId, WorkerStatusResponse = new WorkerStatusResponse() });
                break;
            default:
                if (_nextResponse.TryRemove(message.ContentCase, out var next))
                {
                    next.TrySetResult(message);
                }
                else
                {
                    _log?.Invoke($"[host] ignored {message.ContentCase} from the worker");
                }
                break;
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    private static void ThrowIfFailed(StatusResult? result, string what)
    {
        if (result is not null && result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{what}: {result.Status} {result.Exception?.Message} {result.Result}".TrimEnd());
        }
    }
}
