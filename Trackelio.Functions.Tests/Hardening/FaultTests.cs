using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;
using Azure.Data.Tables;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Faults under a stream of real traffic, with the app as a worker process of its own under the dev
/// host, on an Azurite of its own: the worker SIGKILLed mid-stream and the app started again, and
/// storage frozen (SIGSTOP) mid-stream.
/// Afterwards every acknowledged submission is stored exactly once, nothing else is.
/// </summary>
public sealed class FaultTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartPrivateAsync();

    public async Task DisposeAsync()
    {
        _azurite.Thaw();
        await _azurite.DisposeAsync();
    }

    private static HttpRequestMessage Submit(string projectKey, string key) =>
        WidgetRequests.Submit(projectKey, WidgetRequests.MinimalFeedback("fault stream " + key), idempotencyKey: key);

    /// <summary>The feedback ids stored for the workspace (the oldest-first rows: one per record).</summary>
    private async Task<List<string>> StoredFeedbackAsync(string workspaceId)
    {
        var table = _azurite.CreateAccount().GetTableClient(StorageNames.Tables.Feedback);
        var ids = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableQueries.And(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"), TimeOrderedTable<object>.Range(Ids.Feedback, null, null, newestFirst: false)), select: ["RowKey"]))
        {
            ids.Add(entity.RowKey);
        }
        return ids;
    }

    /// <summary>Waits until the enrichment has written as many records as were acknowledged (or 120 s passed).</summary>
    private async Task<List<string>> DrainAsync(string workspaceId, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        var stored = await StoredFeedbackAsync(workspaceId);
        while (stored.Count < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            stored = await StoredFeedbackAsync(workspaceId);
        }
        await Task.Delay(1000); // a duplicate would show up after the count was reached
        return await StoredFeedbackAsync(workspaceId);
    }

    [Fact]
    public async Task App_killed_mid_stream_loses_nothing_acknowledged_and_stores_nothing_twice()
    {
        await using var app = new AppProcess(_azurite.ConnectionString);
        var workspace = await app.BootstrapAsync("Kill");
        var projectKey = workspace.GetProperty("project_key").GetString()!;
        var workspaceId = workspace.GetProperty("workspace_id").GetString()!;
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(60) };

        var acknowledged = new ConcurrentDictionary<string, ConcurrentBag<string>>();
        var unanswered = new ConcurrentQueue<string>();
        var uploads = new ConcurrentBag<string>();
        var uploadsCut = 0;
        var work = new ConcurrentQueue<int>(Enumerable.Range(0, 160));
        var killed = false;

        async Task WorkerAsync()
        {
            while (work.TryDequeue(out var i))
            {
                var key = "kill-" + i;
                try
                {
                    using var response = await client.SendAsync(Submit(projectKey, key));
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var id = (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
                        acknowledged.GetOrAdd(key, _ => []).Add(id);
                    }
                    else
                    {
                        unanswered.Enqueue(key);
                    }
                }
                catch (HttpRequestException)
                {
                    unanswered.Enqueue(key);
                }
                if (i % 4 == 0)
                {
                    try
                    {
                        using var upload = await client.SendAsync(WidgetRequests.Upload(projectKey, WidgetRequests.Recording(64 * 1024), "video/webm"));
                        if (upload.StatusCode == HttpStatusCode.Created)
                        {
                            uploads.Add((await upload.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!);
                        }
                        else
                        {
                            Interlocked.Increment(ref uploadsCut);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        Interlocked.Increment(ref uploadsCut);
                    }
                }
                if (!killed && acknowledged.Count >= 40)
                {
                    killed = true;
                    app.Kill(); // SIGKILL with the other workers' requests in flight
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(WorkerAsync)));
        Assert.True(killed, "The stream ended before the app was killed.");
        await app.StartAsync();
        // The clients retry what got no answer, with the same Idempotency-Key, until it is acknowledged.
        foreach (var key in unanswered)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var response = await client.SendAsync(Submit(projectKey, key));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged.GetOrAdd(key, _ => []).Add((await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!);
                    break;
                }
                Assert.True(attempt < 20, $"{key} was never acknowledged: {(int)response.StatusCode}");
                await Task.Delay(250);
            }
        }

        var stored = await DrainAsync(workspaceId, acknowledged.Count);
        var blobs = new List<string>();
        await foreach (var blob in _azurite.CreateAccount().GetBlobContainerClient(StorageNames.Containers.Attachments).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = workspaceId + "/" }))
        {
            blobs.Add(blob.Name.Split('/')[^1]);
        }

        Assert.Equal(160, acknowledged.Count);
        Assert.All(acknowledged, a => Assert.Single(a.Value.Distinct())); // one id per key, however often it was retried
        var missing = acknowledged.Values.Select(v => v.First()).Except(stored).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} acknowledged submissions were never stored; the poison queue holds " +
            $"{(await _azurite.CreateAccount().GetQueueClient(StorageNames.Queues.SubmissionsPoison).PeekMessagesAsync(32)).Value.Length}. The host's log ends:\n{app.RecentLog}");
        Assert.Equal(acknowledged.Values.Select(v => v.First()).Order(), stored.Order()); // each stored once, nothing else
        Assert.All(uploads, id => Assert.Contains(id, blobs)); // every acknowledged upload is there, whole
        Assert.InRange(blobs.Count - uploads.Count, 0, uploadsCut); // at most the cut ones (committed, answer lost)
    }

    [Fact]
    public async Task Frozen_storage_gets_503_with_retry_after_within_the_deadline_and_recovers_without_restart()
    {
        await using var app = new AppProcess(_azurite.ConnectionString, new Dictionary<string, string> { ["Trackelio__Storage__RequestDeadline"] = "00:00:02" });
        var workspace = await app.BootstrapAsync("Frozen");
        var projectKey = workspace.GetProperty("project_key").GetString()!;
        var workspaceId = workspace.GetProperty("workspace_id").GetString()!;
        await app.StartAsync();
        // Far beyond the 2 s deadline: a request that hangs fails the test instead of passing slowly.
        using var client = new HttpClient { BaseAddress = app.Url, Timeout = TimeSpan.FromSeconds(45) };
        var acknowledged = new Dictionary<string, string>();
        for (var i = 0; i < 10; i++)
        {
            // Warming up (a cold app on a busy machine may miss its deadline too: then it retries, as a client would).
            for (var attempt = 0; ; attempt++)
            {
                using var response = await client.SendAsync(Submit(projectKey, "warm-" + i));
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged["warm-" + i] = (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
                    break;
                }
                await response.AssertErrorAsync(503, "storage_unavailable");
                Assert.True(attempt < 20, "The app never accepted a submit before storage was frozen.");
            }
        }

        _azurite.Freeze();
        var during = new List<(string Key, HttpResponseMessage Response)>();
        try
        {
            foreach (var i in Enumerable.Range(0, 6))
            {
                during.Add(("frozen-" + i, await client.SendAsync(Submit(projectKey, "frozen-" + i))));
            }
        }
        finally
        {
            _azurite.Thaw();
        }
        foreach (var (key, response) in during)
        {
            await response.AssertErrorAsync(503, "storage_unavailable");
            Assert.NotNull(response.Headers.RetryAfter);
            for (var attempt = 0; ; attempt++)
            {
                using var retry = await client.SendAsync(Submit(projectKey, key));
                if (retry.StatusCode == HttpStatusCode.Accepted)
                {
                    acknowledged[key] = (await retry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
                    break;
                }
                Assert.True(attempt < 40, $"{key} was not accepted after storage thawed: {(int)retry.StatusCode}");
                await Task.Delay(250);
            }
        }

        var stored = await DrainAsync(workspaceId, acknowledged.Count);
        Assert.Equal(acknowledged.Values.Order(), stored.Order());
    }
}
