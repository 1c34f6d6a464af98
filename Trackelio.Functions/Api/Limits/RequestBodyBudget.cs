using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Api.Limits;

/// <summary>
/// The memory request bodies in flight may hold on this instance, shared by all requests.
/// A request reserves what it will hold before its body is read and gives it back when it ends.
/// </summary>
public sealed class RequestBodyBudget(IOptions<RequestLimitsOptions> options)
{
    private long _reserved;

    public long Capacity { get; } = options.Value.BodyBudgetBytes;

    /// <summary>Bytes reserved now by requests in flight.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    public bool TryReserve(long bytes)
    {
        if (bytes <= 0)
        {
            return true;
        }
        while (true)
        {
            var current = Interlocked.Read(ref _reserved);
            if (current + bytes > Capacity)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _reserved, current + bytes, current) == current)
            {
                return true;
            }
        }
    }

    public void Release(long bytes)
    {
        if (bytes > 0)
        {
            Interlocked.Add(ref _reserved, -bytes);
        }
    }
}
