using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage;

/// <summary>
/// Counts every HTTP request the storage clients send (each retry too), by operation kind
/// (<c>table:batch</c>, <c>table:query</c>, <c>queue:put</c>, <c>blob:get</c>, …). One per
/// <see cref="StorageAccount"/>; the benchmark reads it to report storage transactions per
/// submission, and a test checks it against what Azurite itself logs.
/// </summary>
public sealed class StorageRequestCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>The counts so far, by operation kind.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    public void Add(string kind)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate(kind, 1, static (_, n) => n + 1);
    }

    /// <summary>A per-retry policy, so each request that goes on the wire counts once.</summary>
    internal HttpPipelinePolicy Policy(string service) => new CountingPolicy(this, service);

    /// <summary>What a request does, from its method and address alone.</summary>
    public static string Kind(string service, RequestMethod method, RequestUriBuilder uri)
    {
        var path = uri.Path;
        var query = uri.Query;
        var verb = method.Method;
        return service switch
        {
            "table" when path.EndsWith("$batch", StringComparison.Ordinal) => "table:batch",
            "table" when verb == "GET" && path.EndsWith("()", StringComparison.Ordinal) => "table:query",
            "table" when verb == "GET" => "table:get",
            "table" when verb == "POST" => "table:insert",
            "table" when verb is "PUT" or "MERGE" or "PATCH" => "table:update",
            "table" when verb == "DELETE" => "table:delete",
            "queue" when path.EndsWith("/messages", StringComparison.Ordinal) && verb == "POST" => "queue:send",
            "queue" when path.EndsWith("/messages", StringComparison.Ordinal) && verb == "GET" => query.Contains("peekonly", StringComparison.Ordinal) ? "queue:peek" : "queue:receive",
            "queue" when path.Contains("/messages/", StringComparison.Ordinal) && verb == "DELETE" => "queue:delete",
            "queue" when path.Contains("/messages/", StringComparison.Ordinal) && verb == "PUT" => "queue:update",
            "blob" when verb == "PUT" && query.Contains("comp=blocklist", StringComparison.Ordinal) => "blob:blocklist",
            "blob" when verb == "PUT" => query.Contains("comp=block", StringComparison.Ordinal) ? "blob:block" : "blob:put",
            "blob" when verb == "GET" && query.Contains("comp=list", StringComparison.Ordinal) => "blob:list",
            _ => $"{service}:{verb.ToLowerInvariant()}",
        };
    }

    private sealed class CountingPolicy(StorageRequestCounter counter, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            counter.Add(Kind(service, message.Request.Method, message.Request.Uri));
    }
}
