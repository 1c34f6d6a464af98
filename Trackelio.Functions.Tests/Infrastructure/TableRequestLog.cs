using System.Collections.Concurrent;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The storage requests that passed a <see cref="StorageProxy"/> (method and path), so a test can
/// count what one call did to one table — apart from the app's background work and the host's
/// queue polls, which go to other tables and queues. A request the SDK retried (a slow or failed attempt on a busy
/// machine) counts once: its attempts share their <c>x-ms-client-request-id</c>. Every request for an outbox
/// row (<c>outbox|…</c>) is left out — a write's own delete of its row, and above all the delayed flushes of
/// writes made earlier (the <c>FlushEventOutbox</c> function reads each write's row a minute after it), which
/// land in whatever call a test happens to be counting then.
/// </summary>
public sealed class TableRequestLog
{
    private readonly ConcurrentQueue<(HttpMethod Method, string Path, string? ClientRequestId)> _requests = new();

    public int Count => _requests.Count;

    internal void Add(HttpMethod method, string path, string? clientRequestId) => _requests.Enqueue((method, path, clientRequestId));

    /// <summary>The requests after the first <paramref name="skip"/> that address <paramref name="table"/>'s entities: queries (<c>table()</c>) or keyed rows.</summary>
    public (int Queries, int Gets, int Writes) To(string table, int skip)
    {
        var rows = _requests.Skip(skip).Where(r => r.Path.Contains("/" + table + "(", StringComparison.Ordinal) && !IsOutboxRow(r.Path))
            .DistinctBy(r => r.ClientRequestId ?? Guid.NewGuid().ToString()).ToList();
        return (rows.Count(r => r.Method == HttpMethod.Get && r.Path.EndsWith("/" + table + "()", StringComparison.Ordinal)),
            rows.Count(r => r.Method == HttpMethod.Get && !r.Path.EndsWith("()", StringComparison.Ordinal)),
            rows.Count(r => r.Method != HttpMethod.Get));
    }

    private static bool IsOutboxRow(string path) =>
        Uri.UnescapeDataString(path).Contains("RowKey='" + Trackelio.Functions.Webhooks.EventOutbox.RowPrefix, StringComparison.Ordinal);
}

/// <summary>The app with a clock the test moves and a log of its storage requests (<see cref="StorageProxy.Log"/>).</summary>
public sealed class LoggedClockApp : ProxiedApp
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The app's storage requests, as the proxy saw them.</summary>
    public TableRequestLog Storage => Proxy.Log;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Testing:ClockFile"] = Clock.File,
    };
}
