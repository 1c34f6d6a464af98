namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Faults of the network between an app and its storage, applied by a <see cref="StorageProxy"/>:
/// the response of a request the service did apply can be lost (the request goes through, the
/// caller's connection breaks, and its pipeline retries); matching requests can be refused before
/// they reach storage; or storage can freeze — every request held until its caller gives up, as a
/// SIGSTOPped storage account does. Matches see the request as forwarded to Azurite (a
/// transaction's body readable: table bodies are buffered).
/// </summary>
public sealed class FaultyStorage
{
    private readonly Lock _gate = new();
    private Func<HttpRequestMessage, bool>? _loseNext;
    private Func<HttpRequestMessage, bool>? _failing;
    private int _lost;
    private int _refused;

    /// <summary>What the proxy does with one request.</summary>
    public enum Fault { None, Refused, LoseResponse, Frozen }

    /// <summary>While true, every new request hangs until its caller gives up.</summary>
    public bool Frozen { get; set; }

    /// <summary>How many responses were lost so far.</summary>
    public int Lost => Volatile.Read(ref _lost);

    /// <summary>How many requests were refused so far (by <see cref="Fail"/>), retries included.</summary>
    public int Refused => Volatile.Read(ref _refused);

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

    /// <summary>The fault for <paramref name="request"/>; a frozen request returns (as <see cref="Fault.Frozen"/>) only once its caller gave up.</summary>
    internal async Task<Fault> DecideAsync(HttpRequestMessage request, CancellationToken callerGone)
    {
        if (Frozen)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, callerGone);
            }
            catch (OperationCanceledException)
            {
            }
            return Fault.Frozen;
        }
        lock (_gate)
        {
            if (_failing?.Invoke(request) == true)
            {
                _refused++;
                return Fault.Refused;
            }
            if (_loseNext?.Invoke(request) == true)
            {
                _loseNext = null;
                return Fault.LoseResponse;
            }
            return Fault.None;
        }
    }

    internal void CountLost() => Interlocked.Increment(ref _lost);

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
