using System.Collections.Concurrent;
using Grpc.Core;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>
/// The host's gRPC service (FunctionRpcService.EventStream): the first message must be StartStream,
/// whose worker_id picks the channel waiting for that worker.
/// </summary>
internal sealed class FunctionRpcService(WorkerChannelRegistry channels) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            return;
        }
        var first = requestStream.Current;
        if (first.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.InvalidArgument, $"The first message must be StartStream, not {first.ContentCase}."));
        }
        if (!channels.TryGet(first.StartStream.WorkerId, out var channel))
        {
            throw new Grpc.Core.RpcException(new Status(StatusCode.NotFound, $"No worker with id '{first.StartStream.WorkerId}' was started by this host."));
        }
        await channel.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}

/// <summary>The channels of the workers this host started, by worker id.</summary>
internal sealed class WorkerChannelRegistry
{
    private readonly ConcurrentDictionary<string, WorkerChannel> _channels = new();

    public void Add(WorkerChannel channel) => _channels[channel.WorkerId] = channel;

    public bool TryGet(string workerId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WorkerChannel? channel)
        => _channels.TryGetValue(workerId, out channel);
}
