using System.Collections.Concurrent;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The storage transport of an app under test, logging every request it sends (method and path), so
/// a test can count what one call did to one table — apart from the app's background work
/// (rate-limit writes, sweeps, queue polls), which goes to other tables and queues.
/// </summary>
public sealed class TableRequestLog() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly ConcurrentQueue<(HttpMethod Method, string Path)> _requests = new();

    public int Count => _requests.Count;

    /// <summary>Sends the storage clients' requests through this log.</summary>
    public void Configure(Azure.Core.ClientOptions options) => options.Transport = new HttpClientTransport(new HttpClient(this));

    /// <summary>The requests after the first <paramref name="skip"/> that address <paramref name="table"/>'s entities: queries (<c>table()</c>) or keyed rows.</summary>
    public (int Queries, int Gets, int Writes) To(string table, int skip)
    {
        var rows = _requests.Skip(skip).Where(r => r.Path.Contains("/" + table + "(", StringComparison.Ordinal)).ToList();
        return (rows.Count(r => r.Method == HttpMethod.Get && r.Path.EndsWith("/" + table + "()", StringComparison.Ordinal)),
            rows.Count(r => r.Method == HttpMethod.Get && !r.Path.EndsWith("()", StringComparison.Ordinal)),
            rows.Count(r => r.Method != HttpMethod.Get));
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _requests.Enqueue((request.Method, request.RequestUri!.AbsolutePath));
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>The app with a clock the test moves and a log of its storage requests.</summary>
public sealed class LoggedClockApp : TrackelioApp
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public TableRequestLog Storage { get; } = new();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Testing:ClockFile"] = Clock.File,
    };

    // TODO(storage proxy): route the app's storage through the request log.
}
