using System.Net;
using System.Net.Sockets;
using System.Runtime;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Api.Limits;
using Trackelio.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Security;

/// <summary>
/// The app under the dev host, for tests that need raw sockets to its front door, with the
/// worker's memory readable from outside (<c>GET /_diagnostics/memory</c>).
/// </summary>
public sealed class KestrelApp : TrackelioApp
{
    public Uri Address => Host.BaseAddress;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Diagnostics:Memory"] = "true",
        // The stalled bodies must stay open for the whole measurement: through the host 200 of them take
        // a while to arrive, and the 15 s idle timeout would start closing the first ones meanwhile.
        ["Trackelio:RequestLimits:BodyIdleTimeout"] = "00:03:00",
        // A budget that the first stalled bodies fill within seconds: through the host the 200 connections
        // arrive one after another, and the measurement must not wait behind all of them.
        ["Trackelio:RequestLimits:BodyBudgetBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The worker's managed memory after a full GC, and what its body budget holds now.</summary>
    public async Task<(long Managed, long Reserved, long Capacity)> MemoryAsync()
    {
        using var client = new HttpClient { BaseAddress = Address };
        var figures = (await client.GetAsync("/_diagnostics/memory")).EnsureSuccessStatusCode();
        var json = await figures.ReadJsonAsync();
        return (json.GetProperty("managed_bytes").GetInt64(), json.GetProperty("body_budget_reserved_bytes").GetInt64(),
            json.GetProperty("body_budget_capacity_bytes").GetInt64());
    }
}

/// <summary>Runs alone (no other test allocates meanwhile), so the process's managed memory is the app's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection : ICollectionFixture<KestrelApp>
{
    public const string Name = "Memory (runs alone)";
}

/// <summary>
/// Anonymous clients (the project key is public) open bodies and stall. The worker's managed
/// memory must stay bounded while they hang (the body budget admits what fits, the rest get 503
/// before their body is read) and come back once they close. The clients talk to the dev host's
/// front door, which streams each body on to the worker as the Functions host does; the worker's
/// memory is read from outside its process.
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class StalledBodiesMemoryTests(KestrelApp app, ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;

    /// <summary>Growth allowed while bodies stall: the budget, Kestrel's 64 KiB per connection, and 32 MiB for everything else.</summary>
    private static long DuringBound(int connections, long budget) => budget + connections * 64 * 1024 + 32 * MiB;

    /// <summary>
    /// Growth allowed once they are gone: upload blocks kept for reuse (at most 8 MiB), Kestrel's
    /// pinned pool, which keeps its peak (64 KiB per connection that was open), and 8 MiB more.
    /// </summary>
    private static long AfterBound(int connections) => 8 * MiB + connections * 64 * 1024 + 8 * MiB;

    [Fact]
    public async Task Two_hundred_stalled_submits_and_a_hundred_stalled_uploads_keep_memory_bounded_and_give_it_back()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await WarmUpAsync(workspace.ProjectKey);
        var (baseline, _, capacity) = await app.MemoryAsync();

        // 200 submits, each declaring ~1 MiB and sending 900 KiB of it, then stalling.
        var submitHead = Head("/v1/widget/submit", workspace.ProjectKey, "application/json", 1_000_000);
        var submitBody = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('a', 900 * 1024));
        var submits = await OpenStalledAsync(200, submitHead, submitBody);
        // The probe declares 4 MB (a submit holds up to 4 MiB + 64 KiB): while the stalled ones hold the budget it cannot fit.
        var probeSubmit = await ProbeWhileFullAsync(capacity, 4_000_000, Head("/v1/widget/submit", workspace.ProjectKey, "application/json", 4_000_000), 4_000_000);
        var duringSubmits = await PeakManagedAsync();
        var reservedDuringSubmits = (await app.MemoryAsync()).Reserved;
        Close(submits);
        await WaitUntilReleasedAsync();
        var afterSubmits = await SettledManagedAsync(baseline + AfterBound(200));

        // 100 uploads, each declaring an 8 MB PNG and sending the signature and 2 MiB, then stalling.
        var uploadHead = Head("/v1/widget/upload", workspace.ProjectKey, "image/png", 8_000_000);
        var uploadBody = new byte[2 * MiB];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(uploadBody, 0);
        var uploads = await OpenStalledAsync(100, uploadHead, uploadBody);
        var probeUpload = await ProbeWhileFullAsync(capacity, RequestLimits.UploadBlockBytes + RequestLimits.MultipartOverhead, uploadHead, 8_000_000);
        var duringUploads = await PeakManagedAsync();
        var reservedDuringUploads = (await app.MemoryAsync()).Reserved;
        Close(uploads);
        await WaitUntilReleasedAsync();
        var afterUploads = await SettledManagedAsync(baseline + AfterBound(200));

        output.WriteLine($"baseline {baseline / MiB} MiB; budget {capacity / MiB} MiB");
        output.WriteLine($"200 stalled submits: +{(duringSubmits - baseline) / MiB} MiB during ({reservedDuringSubmits / MiB} MiB of bodies admitted), +{(afterSubmits - baseline) / MiB} MiB after");
        output.WriteLine($"100 stalled uploads: +{(duringUploads - baseline) / MiB} MiB during ({reservedDuringUploads / MiB} MiB admitted), +{(afterUploads - baseline) / MiB} MiB after");

        Assert.Equal(503, probeSubmit.Status);
        Assert.Equal(503, probeUpload.Status);
        Assert.Contains("Retry-After: 2", probeSubmit.Head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"server_busy\"", probeSubmit.Body, StringComparison.Ordinal);
        Assert.InRange(duringSubmits - baseline, long.MinValue, DuringBound(200, capacity));
        Assert.InRange(duringUploads - baseline, long.MinValue, DuringBound(100, capacity));
        Assert.InRange(afterSubmits - baseline, long.MinValue, AfterBound(200));
        Assert.InRange(afterUploads - baseline, long.MinValue, AfterBound(200));
    }

    private async Task WarmUpAsync(string projectKey)
    {
        using var client = new HttpClient { BaseAddress = app.Address };
        client.DefaultRequestHeaders.Add("X-Project-Key", projectKey);
        var submit = await client.PostAsync("/v1/widget/submit", Json.Body(new { title = "warm", item_type = "bug" }));
        var png = new byte[3 * MiB];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(png, 0);
        var upload = await client.PostAsync("/v1/widget/upload", new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } });
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
    }

    private byte[] Head(string path, string projectKey, string contentType, long contentLength) => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: {app.Address.Authority}\r\nX-Project-Key: {projectKey}\r\nContent-Type: {contentType}\r\nContent-Length: {contentLength}\r\n\r\n");

    /// <summary>
    /// Opens the connections, sends each the head and part of its body, and keeps them open: each
    /// then trickles 4 KiB every 2 s, slow but alive, because the host and the worker drop a body slower
    /// than their minimum data rates (the host's Kestrel 240 B/s after 5 s, the worker's 1 KiB/s after
    /// 10 s) — which would free the worker's budget before the measurement.
    /// </summary>
    private async Task<List<Socket>> OpenStalledAsync(int count, byte[] head, byte[] partialBody)
    {
        var sockets = new List<Socket>();
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            lock (sockets)
            {
                sockets.Add(socket);
            }
            await socket.ConnectAsync(IPAddress.Loopback, app.Address.Port);
            using var sendTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await socket.SendAsync(head, SocketFlags.None, sendTimeout.Token);
                await socket.SendAsync(partialBody, SocketFlags.None, sendTimeout.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // Answered 503 and closed before the body was read.
            }
        }));
        _ = TrickleAsync(sockets);
        return sockets;
    }

    private static async Task TrickleAsync(List<Socket> sockets)
    {
        var kib = new byte[4 * 1024];
        while (sockets.Any(s => s.Connected))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var socket in sockets.Where(s => s.Connected))
            {
                try
                {
                    await socket.SendAsync(kib, SocketFlags.None);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    // Closed by the test, or answered and closed by the server.
                }
            }
        }
    }

    /// <summary>
    /// One more request while the others stall, its whole body sent (through the host a body is read
    /// by the host whatever the app answers; what matters is that the worker refuses to hold it):
    /// its answer, read in full.
    /// </summary>
    private async Task<(int Status, string Head, string Body)> ProbeAsync(byte[] head, long contentLength)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, app.Address.Port);
        await socket.SendAsync(head, SocketFlags.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var chunk = new byte[64 * 1024];
        for (long sent = 0; sent < contentLength; sent += chunk.Length)
        {
            await socket.SendAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, contentLength - sent)), SocketFlags.None, timeout.Token);
        }
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Complete(received))
                {
                    break;
                }
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset && received.Length > 0)
        {
            // The server closed once it had answered.
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(text.AsSpan(9, 3), provider: null), text[..split], text[(split + 4)..]);
    }

    /// <summary>A whole answer: its head, and as much body as its Content-Length says (or the last chunk).</summary>
    private static bool Complete(MemoryStream received)
    {
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }
        var length = System.Text.RegularExpressions.Regex.Match(text[..split], @"(?im)^content-length:\s*(\d+)");
        return length.Success ? Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(length.Groups[1].Value, provider: null) : text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }

    private static void Close(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>
    /// A probe sent while the budget is full. Through the host a stalled request can still end between
    /// the reading and the probe (and the probe then fits and is read): up to three tries, each after
    /// the budget is seen full again; the answer of the last.
    /// </summary>
    private async Task<(int Status, string Head, string Body)> ProbeWhileFullAsync(long capacity, long oneBody, byte[] head, long contentLength)
    {
        (int Status, string Head, string Body) probe = default;
        for (var attempt = 0; attempt < 3 && probe.Status != 503; attempt++)
        {
            await UntilBudgetFullAsync(capacity, oneBody);
            probe = await ProbeAsync(head, contentLength);
            output.WriteLine($"probe {attempt + 1}: {probe.Status}");
        }
        return probe;
    }

    /// <summary>
    /// Waits until the stalled requests have reached the worker and filled its budget (less than
    /// <paramref name="oneBody"/> left): through the host they arrive a little apart.
    /// </summary>
    private async Task UntilBudgetFullAsync(long capacity, long oneBody)
    {
        var reserved = (await app.MemoryAsync()).Reserved;
        for (var i = 0; i < 100 && capacity - reserved >= oneBody; i++)
        {
            await Task.Delay(100);
            reserved = (await app.MemoryAsync()).Reserved;
        }
        Assert.True(capacity - reserved < oneBody, $"the budget never filled: {reserved} of {capacity} bytes reserved");
    }

    /// <summary>Waits until every request of the closed connections has ended and given its reservation back.</summary>
    private async Task WaitUntilReleasedAsync()
    {
        var reserved = (await app.MemoryAsync()).Reserved;
        for (var i = 0; i < 600 && reserved > 0; i++)
        {
            await Task.Delay(100);
            reserved = (await app.MemoryAsync()).Reserved;
        }
        Assert.Equal(0, reserved);
    }

    /// <summary>
    /// Memory once the closed requests have let go of everything: read until it is at most
    /// <paramref name="bound"/> or 75 s have passed. An aborted storage call can hold its block a few seconds,
    /// and the Azure SDK rents its upload blocks from the shared array pool, which gives idle ones back at a
    /// full GC once they have been unused for a minute.
    /// </summary>
    private async Task<long> SettledManagedAsync(long bound)
    {
        var managed = (await app.MemoryAsync()).Managed;
        for (var i = 0; i < 75 && managed > bound; i++)
        {
            await Task.Delay(1000);
            managed = (await app.MemoryAsync()).Managed;
        }
        return managed;
    }

    /// <summary>The largest of a few readings, once the server has had a moment to take in what was sent.</summary>
    private async Task<long> PeakManagedAsync()
    {
        long peak = 0;
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(300);
            peak = Math.Max(peak, (await app.MemoryAsync()).Managed);
        }
        return peak;
    }
}
