using Azure.Core.Pipeline;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// A storage transport that misbehaves as a faulty network does, in front of the real Azurite:
/// it can lose the response of a request the service did apply (the request goes through, the
/// caller sees a broken connection, and the pipeline retries), or freeze — hold every request
/// until it is cancelled, as a SIGSTOPped storage account does.
/// </summary>
public sealed class FaultyStorage : DelegatingHandler
{
    private readonly object _gate = new();
    private Func<HttpRequestMessage, bool>? _loseNext;
    private Func<HttpRequestMessage, bool>? _failing;

    public FaultyStorage()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>While true, every request hangs until cancelled.</summary>
    public bool Frozen { get; set; }

    /// <summary>How many responses were lost so far.</summary>
    public int Lost { get; private set; }

    /// <summary>The next request matching <paramref name="match"/> is applied, and its response lost.</summary>
    public void LoseNextResponse(Func<HttpRequestMessage, bool> match)
    {
        lock (_gate)
        {
            _loseNext = match;
        }
    }

    /// <summary>Until called again (null: never), every request matching <paramref name="match"/> fails before it reaches storage, retries included.</summary>
    public void Fail(Func<HttpRequestMessage, bool>? match)
    {
        lock (_gate)
        {
            _failing = match;
        }
    }

    /// <summary>Sends the storage clients' requests through these faults, with quick retries.</summary>
    public void Configure(Azure.Core.ClientOptions options)
    {
        options.Transport = new HttpClientTransport(new HttpClient(this));
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Frozen)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        bool lose;
        lock (_gate)
        {
            if (_failing?.Invoke(request) == true)
            {
                throw new HttpRequestException("Storage is unreachable (fault injected).", new IOException("connection refused"));
            }
            lose = _loseNext?.Invoke(request) == true;
            if (lose)
            {
                _loseNext = null;
            }
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (!lose)
        {
            return response;
        }
        response.Dispose();
        Lost++;
        throw new HttpRequestException("The connection was reset after the request was sent (fault injected).", new IOException("connection reset"));
    }

    public static bool IsTableInsert(HttpRequestMessage request, string table) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/" + table, StringComparison.Ordinal);

    /// <summary>An entity-group transaction on <paramref name="table"/> (the table is named in the body only).</summary>
    public static bool IsBatchOn(HttpRequestMessage request, string table) =>
        IsBatch(request) && request.Content!.ReadAsStringAsync().GetAwaiter().GetResult() is var body
            && (body.Contains("/" + table + " HTTP/1.1", StringComparison.Ordinal) || body.Contains("/" + table + "?", StringComparison.Ordinal)
                || body.Contains("/" + table + "(", StringComparison.Ordinal));

    public static bool IsQueueSend(HttpRequestMessage request, string queue) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/" + queue + "/messages", StringComparison.Ordinal);

    public static bool IsBatch(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal);
}
