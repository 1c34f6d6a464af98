namespace Trackelio.Functions.Api.Limits;

/// <summary>The body would take more memory than the instance's budget has left.</summary>
public sealed class RequestBodyBudgetExceededException() : Exception("The request body budget is spent.");

/// <summary>The body sent nothing for longer than the idle timeout.</summary>
public sealed class RequestBodyStalledException() : Exception("The request body stopped arriving.");

/// <summary>
/// The request body as the app reads it: a body without Content-Length reserves budget as its
/// bytes arrive (up to what its endpoint holds at most), and a read that waits longer than the
/// idle timeout for data fails, so a stalled client gives its reservation back.
/// </summary>
public sealed class BudgetedBodyStream(Stream inner, RequestBodyBudget budget, long reserved, long holdsAtMost, TimeSpan idleTimeout,
    CancellationToken requestAborted) : Stream
{
    private CancellationTokenSource? _idle;

    /// <summary>What this request has reserved so far; released by the middleware when the request ends.</summary>
    public long Reserved { get; private set; } = reserved;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _idle ??= CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _idle.CancelAfter(idleTimeout);
        using var both = cancellationToken.CanBeCanceled && cancellationToken != requestAborted
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token)
            : null;
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, both?.Token ?? _idle.Token);
        }
        catch (OperationCanceledException) when (_idle.IsCancellationRequested && !requestAborted.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new RequestBodyStalledException();
        }
        finally
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        var more = Math.Min(read, holdsAtMost - Reserved);
        if (more > 0)
        {
            if (!budget.TryReserve(more))
            {
                throw new RequestBodyBudgetExceededException();
            }
            Reserved += more;
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _idle?.Dispose();
        }
        base.Dispose(disposing);
    }
}
