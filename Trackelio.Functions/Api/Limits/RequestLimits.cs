using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Trackelio.Functions.Api.Limits;

/// <summary>What one request's body may cost: its largest size, and the most of it the app holds in memory at once.</summary>
public sealed record BodyPolicy(long? MaxBytes, long HoldsAtMost, string Why);

public sealed class RequestLimitsOptions
{
    /// <summary>
    /// Request bodies in flight on one instance may hold this much memory together (64 MiB, about
    /// 3 % of a 2 GB Flex Consumption instance). Past it a request is answered 503 with
    /// <c>Retry-After</c> before its body is read.
    /// </summary>
    public long BodyBudgetBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>A body that sends nothing for this long is dropped (408): it holds its share of the budget while it stalls.</summary>
    public TimeSpan BodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>What a 503 for a full budget tells the client to wait.</summary>
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// The server's limits on what clients may make it hold, in one place with the reasons. Kestrel's
/// defaults are made for trusted networks; anonymous widget traffic (the project key is public)
/// needs them deliberate.
/// </summary>
public static class RequestLimits
{
    private const long KiB = 1024;
    private const long MiB = 1024 * 1024;

    /// <summary>Room for multipart boundaries and part headers around an uploaded file.</summary>
    public const long MultipartOverhead = 64 * KiB;

    /// <summary>The block the upload streams to Blob Storage in; equal to <c>BlobUploads.BlockSize</c> (a test holds them together).</summary>
    public const long UploadBlockBytes = 1 * MiB;

    /// <summary>
    /// Every endpoint not named below: JSON bodies (the largest any reads is 256 KiB) and the
    /// Functions host's queue invocations (a queue message is at most 64 KiB). Read whole.
    /// </summary>
    public static readonly BodyPolicy Default = new(1 * MiB, 1 * MiB, "JSON bodies up to 256 KiB and queue invocations; read whole");

    public static readonly IReadOnlyDictionary<string, BodyPolicy> ByEndpoint = new Dictionary<string, BodyPolicy>(StringComparer.Ordinal)
    {
        // A widget may raise its submit limit to 4 MiB (limits.submit_body_bytes); the handler holds each widget to its own.
        ["WidgetSubmit"] = new(4 * MiB + 64 * KiB, 4 * MiB + 64 * KiB, "parsed whole; the largest submit limit a widget may set"),
        // Size limit set by the handler per widget and kind (10 MiB screenshots, 100 MiB recordings); streamed, one block held at a time.
        ["WidgetUpload"] = new(null, UploadBlockBytes + MultipartOverhead, "streamed to Blob Storage one block at a time"),
    };

    /// <summary>What the server reads ahead of the app per connection.</summary>
    public const long ReadBufferBytes = 64 * KiB;

    /// <summary>
    /// The socket transport reads ahead up to 1 MiB per connection by default while the app is busy
    /// elsewhere (an upload staging a block): 100 such uploads held 50 MiB of Kestrel's pinned,
    /// never-freed pool. 64 KiB is plenty for loopback and the front end.
    /// </summary>
    public static void ConfigureTransport(SocketTransportOptions transport)
    {
        transport.MaxReadBufferSize = ReadBufferBytes;
    }

    public static BodyPolicy For(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && ByEndpoint.TryGetValue(name, out var policy) ? policy : Default;

    public static void Configure(KestrelServerOptions kestrel)
    {
        var limits = kestrel.Limits;
        // A body trickling in slower than 1 KiB/s (after 10 s of grace) is dropped: no real widget or
        // script is that slow, and each such connection holds memory and a request slot (default 240 B/s, 5 s).
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(10));
        // A client reading our answer slower than 240 B/s after 5 s is dropped (Kestrel's default, stated on purpose).
        limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(5));
        // Request line and headers must arrive within 10 s (default 30 s): slow-header connections are cut sooner.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        // Idle keep-alive connections close after 130 s (the default), longer than the Functions host's pooled
        // connections idle (60 s), so the host never sends on a connection we are closing.
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        // What Kestrel buffers of a body the app is not reading yet: 64 KiB per connection (default 1 MiB), so
        // a stalled or not-yet-admitted body costs little until the app reads it (and the budget admits it).
        // The socket transport has its own copy of this limit (ConfigureTransport); both are set.
        limits.MaxRequestBufferSize = ReadBufferBytes;
        // Bodies beyond 1 MiB are refused (413) unless the endpoint allows more (ByEndpoint); default was ~28.6 MiB.
        limits.MaxRequestBodySize = Default.MaxBytes;
        // Headers stay at Kestrel's 32 KiB total / 100 fields: the widget and the host send a handful.
        limits.MaxRequestHeadersTotalSize = 32 * (int)KiB;
        limits.MaxRequestHeaderCount = 100;
    }
}
