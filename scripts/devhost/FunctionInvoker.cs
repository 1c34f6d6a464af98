using System.Collections.Concurrent;
using System.Diagnostics;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>
/// Sends an InvocationRequest and waits for its InvocationResponse (GrpcWorkerChannel.SendInvocationRequest
/// / InvokeResponse), recording every finished invocation for tests to wait on.
/// </summary>
internal sealed class FunctionInvoker(WorkerChannel channel, Action<string>? log)
{
    private readonly ConcurrentQueue<InvocationRecord> _records = new();
    private readonly List<(Func<InvocationRecord, bool> Match, TaskCompletionSource<InvocationRecord> Done)> _waiters = [];

    public IReadOnlyCollection<InvocationRecord> Records => _records.ToArray();

    public WorkerChannel Channel => channel;

    /// <summary>
    /// Sends the request and waits for the worker's answer; <paramref name="completeSideChannel"/> then
    /// waits for the HTTP proxy (started by the caller before this, as StartForwarding precedes the
    /// write in the host) and gives its error, if any.
    /// </summary>
    public async Task<InvocationRecord> InvokeAsync(IndexedFunction function, string triggerKind, InvocationRequest request, Func<Task<string?>>? completeSideChannel = null)
    {
        var started = DateTimeOffset.UtcNow;
        var response = channel.ExpectInvocation(request.InvocationId);
        StatusResult? result = null;
        string? channelError = null;
        try
        {
            channel.Send(new StreamingMessage { InvocationRequest = request });
            result = (await response).Result;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            channelError = ex.Message;
        }
        // DefaultHttpProxyService.EnsureSuccessfulForwardingAsync: a failed forward fails the invocation.
        // Always awaited, so the HTTP request outlives its proxying even when the worker is gone.
        var sideChannelError = completeSideChannel is null ? null : await completeSideChannel();
        var status = sideChannelError is not null || channelError is not null
            ? InvocationStatus.Failure
            : (InvocationStatus)(int)(result?.Status ?? StatusResult.Types.Status.Failure);
        var record = new InvocationRecord(function.Name, request.InvocationId, triggerKind, status,
            sideChannelError ?? channelError ?? (status == InvocationStatus.Success ? null : result?.Exception?.Message ?? result?.Result),
            started, DateTimeOffset.UtcNow);
        Record(record);
        return record;
    }

    public static InvocationRequest NewRequest(IndexedFunction function, string? traceParent = null, string? traceState = null)
    {
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = ChildTraceParent(traceParent), TraceState = traceState ?? "" },
        };
        return request;
    }

    public Task<InvocationRecord> WaitAsync(Func<InvocationRecord, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<InvocationRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            var existing = _records.FirstOrDefault(match);
            if (existing is not null)
            {
                return Task.FromResult(existing);
            }
            _waiters.Add((match, done));
        }
        return WaitWithTimeoutAsync(done, timeout);
    }

    private async Task<InvocationRecord> WaitWithTimeoutAsync(TaskCompletionSource<InvocationRecord> done, TimeSpan timeout)
    {
        if (await Task.WhenAny(done.Task, Task.Delay(timeout)) != done.Task)
        {
            lock (_waiters)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
            var seen = string.Join("\n  ", _records.Select(r => $"{r.FunctionName} {r.Status} {r.ExceptionMessage}"));
            throw new TimeoutException($"No matching invocation within {timeout.TotalSeconds:0.#} s. Invocations so far:\n  {seen}");
        }
        return await done.Task;
    }

    private void Record(InvocationRecord record)
    {
        log?.Invoke($"[host] Executed '{record.FunctionName}' ({record.Status}, Id={record.InvocationId}, Duration={(record.Finished - record.Started).TotalMilliseconds:0}ms){(record.ExceptionMessage is null ? "" : " " + record.ExceptionMessage)}");
        lock (_waiters)
        {
            _records.Enqueue(record);
            foreach (var waiter in _waiters.Where(w => w.Match(record)).ToList())
            {
                waiter.Done.TrySetResult(record);
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>The invocation runs in a span of its own: a child of the caller's traceparent, or a new trace.</summary>
    private static string ChildTraceParent(string? traceParent)
    {
        if (traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent))
        {
            return $"00-{parent.TraceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-{(parent.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
        }
        return $"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-00";
    }
}
