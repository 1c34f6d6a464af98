namespace Trackelio.Functions.Attachments;

/// <summary>Thrown when a stream yields more than it may.</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"The content is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Reads <paramref name="prefix"/> (bytes already taken from the source to sniff it), then the
/// rest of <paramref name="source"/>, and throws <see cref="PayloadTooLargeException"/> as soon
/// as more than <paramref name="limit"/> bytes went through — before they reach storage.
/// </summary>
public sealed class LimitedStream(ReadOnlyMemory<byte> prefix, Stream source, long limit) : Stream
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        if (!_prefix.IsEmpty)
        {
            read = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..read].CopyTo(buffer);
            _prefix = _prefix[read..];
        }
        else
        {
            read = await source.ReadAsync(buffer, cancellationToken);
        }
        BytesRead += read;
        if (BytesRead > limit)
        {
            throw new PayloadTooLargeException(limit);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
