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

/// <summary>The app under the dev host, for tests that need raw sockets to its front door.</summary>
public sealed class KestrelApp : TrackelioApp
{
    public Uri Address => Host.BaseAddress;
}

/// <summary>Runs alone (no other test allocates meanwhile), so the process's managed memory is the app's.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection : ICollectionFixture<KestrelApp>
{
    public const string Name = "Memory (runs alone)";
}

/// <summary>
/// Anonymous clients (the project key is public) open bodies and stall. Managed memory must stay
/// bounded while they hang (the body budget admits what fits, the rest get 503 before their body
/// is read) and come back once they close.
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
        var budget = app.Get<RequestBodyBudget>();
        await WarmUpAsync(workspace.ProjectKey);
        var baseline = ManagedAfterFullGc();

        // 200 submits, each declaring ~1 MiB and sending 900 KiB of it, then stalling.
        var submitHead = Head("/v1/widget/submit", workspace.ProjectKey, "application/json", 1_000_000);
        var submitBody = Encoding.ASCII.GetBytes("{\"title\":\"" + new string('a', 900 * 1024));
        var submits = await OpenStalledAsync(200, submitHead, submitBody);
        var probeSubmit = await ProbeAsync(submitHead);
        var duringSubmits = await PeakManagedAsync();
        var reservedDuringSubmits = budget.Reserved;
        Close(submits);
        await WaitUntilReleasedAsync(budget);
        var afterSubmits = await SettledManagedAsync(baseline + AfterBound(200));

        // 100 uploads, each declaring an 8 MB PNG and sending the signature and 2 MiB, then stalling.
        var uploadHead = Head("/v1/widget/upload", workspace.ProjectKey, "image/png", 8_000_000);
        var uploadBody = new byte[2 * MiB];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.CopyTo(uploadBody, 0);
        var uploads = await OpenStalledAsync(100, uploadHead, uploadBody);
        var probeUpload = await ProbeAsync(uploadHead);
        var duringUploads = await PeakManagedAsync();
        var reservedDuringUploads = budget.Reserved;
        Close(uploads);
        await WaitUntilReleasedAsync(budget);
        var afterUploads = await SettledManagedAsync(baseline + AfterBound(200));

        output.WriteLine($"baseline {baseline / MiB} MiB; budget {budget.Capacity / MiB} MiB");
        output.WriteLine($"200 stalled submits: +{(duringSubmits - baseline) / MiB} MiB during ({reservedDuringSubmits / MiB} MiB of bodies admitted), +{(afterSubmits - baseline) / MiB} MiB after");
        output.WriteLine($"100 stalled uploads: +{(duringUploads - baseline) / MiB} MiB during ({reservedDuringUploads / MiB} MiB admitted), +{(afterUploads - baseline) / MiB} MiB after");

        Assert.Equal(503, probeSubmit.Status);
        Assert.Equal(503, probeUpload.Status);
        Assert.Contains("Retry-After: 2", probeSubmit.Head, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"server_busy\"", probeSubmit.Body, StringComparison.Ordinal);
        Assert.InRange(duringSubmits - baseline, long.MinValue, DuringBound(200, budget.Capacity));
        Assert.InRange(duringUploads - baseline, long.MinValue, DuringBound(100, budget.Capacity));
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

    /// <summary>Opens the connections, sends each the head and part of its body, and leaves them open.</summary>
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
        return sockets;
    }

    /// <summary>One more request while the others stall: its answer, read in full.</summary>
    private async Task<(int Status, string Head, string Body)> ProbeAsync(byte[] head)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, app.Address.Port);
        await socket.SendAsync(head, SocketFlags.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset && received.Length > 0)
        {
            // The server closes without waiting for the body it refused; the answer came first.
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (int.Parse(text.AsSpan(9, 3), provider: null), text[..split], text[(split + 4)..]);
    }

    private static void Close(List<Socket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Waits until every request of the closed connections has ended and given its reservation back.</summary>
    private static async Task WaitUntilReleasedAsync(RequestBodyBudget budget)
    {
        for (var i = 0; i < 600 && budget.Reserved > 0; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(0, budget.Reserved);
    }

    /// <summary>
    /// Memory once the closed requests have let go of everything: read until it is at most
    /// <paramref name="bound"/> or 75 s have passed. An aborted storage call can hold its block a few seconds,
    /// and the Azure SDK rents its upload blocks from the shared array pool, which gives idle ones back at a
    /// full GC once they have been unused for a minute.
    /// </summary>
    private static async Task<long> SettledManagedAsync(long bound)
    {
        var managed = ManagedAfterFullGc();
        for (var i = 0; i < 75 && managed > bound; i++)
        {
            await Task.Delay(1000);
            managed = ManagedAfterFullGc();
        }
        return managed;
    }

    /// <summary>The largest of a few readings, once the server has had a moment to take in what was sent.</summary>
    private static async Task<long> PeakManagedAsync()
    {
        long peak = 0;
        for (var i = 0; i < 3; i++)
        {
            await Task.Delay(300);
            peak = Math.Max(peak, ManagedAfterFullGc());
        }
        return peak;
    }

    private static long ManagedAfterFullGc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
