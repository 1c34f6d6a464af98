using System.Net.Http.Json;
using System.Text.Json;
using Trackelio.DevHost;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Storage;

/// <summary>
/// The storage request counter the benchmark reports from (<see cref="StorageRequestCounter"/>)
/// counts exactly what reaches storage: checked once against the requests a private Azurite logs
/// with <c>--debug</c>, over submissions taken in and enriched end to end. Three parties talk to
/// that Azurite: the worker (its counter is read from <c>/_diagnostics/storage-requests</c>), the
/// test's own modules (their counter is the test's <see cref="StorageAccount"/>'s), and the dev host's
/// queue polls, which are no one's counter and are told apart in the log by their User-Agent.
/// </summary>
public sealed class StorageRequestCountTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly CountedApp _app = new();

    private sealed class CountedApp : TrackelioApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Trackelio:Diagnostics:StorageRequests"] = "true",
        };

        protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateWithDebugLogAsync();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Azurite.DisposeAsync();
        }
    }

    public Task InitializeAsync() => _app.InitializeAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Counted_requests_equal_the_requests_Azurite_logged()
    {
        const int submissions = 12;
        var workspace = await _app.CreateWorkspaceAsync();
        var client = _app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < submissions; i++)
        {
            var response = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("id").GetString()!);
        }
        await _app.WaitForFeedbackAsync(workspace.WorkspaceId, ids[^1]);
        Assert.Equal(submissions, await _app.Get<ICounterStore>().GetAsync(workspace.WorkspaceId, "feedback|total"));

        // The app goes on working in the background (the last enrichment's tail, queue polls): wait until
        // the log has caught up with the counters and all stay put, then compare what each saw.
        var test = _app.Get<StorageAccount>().Requests;
        (long Total, long Batches) counted = (-1, -1), logged = (-2, -2);
        for (var i = 0; i < 100; i++)
        {
            var app = await AppCountsAsync(client);
            var now = (app.Total + test.Total, app.Batches + test.Snapshot().GetValueOrDefault("table:batch"));
            var log = (CountLoggedRequests(), CountLoggedRequests("$batch"));
            if (now == counted && log == logged && now == log)
            {
                break;
            }
            (counted, logged) = (now, log);
            await Task.Delay(100);
        }

        output.WriteLine($"counted {counted}, logged {logged} (total, transactions)");
        Assert.True(counted.Total > submissions * 3, $"only {counted.Total} requests counted");
        Assert.Equal(counted.Total, logged.Total);
        Assert.Equal(counted.Batches, logged.Batches);
    }

    /// <summary>The worker's own counter (total, and entity-group transactions).</summary>
    private static async Task<(long Total, long Batches)> AppCountsAsync(HttpClient client)
    {
        var counts = await client.GetFromJsonAsync<JsonElement>(StorageDiagnostics.Path);
        var batches = counts.GetProperty("by_kind").TryGetProperty("table:batch", out var b) ? b.GetInt64() : 0;
        return (counts.GetProperty("total").GetInt64(), batches);
    }

    /// <summary>Azurite logs one <c>…StorageContextMiddleware: RequestMethod=…</c> line per request it receives, with its headers.</summary>
    private long CountLoggedRequests(string? urlContains = null)
    {
        using var stream = new FileStream(_app.Azurite.DebugLogPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        long count = 0;
        while (reader.ReadLine() is { } line)
        {
            var at = line.IndexOf("StorageContextMiddleware: RequestMethod=", StringComparison.Ordinal);
            if (at >= 0 && (urlContains is null || line.IndexOf(urlContains, at, StringComparison.Ordinal) >= 0)
                && !line.Contains($"\"user-agent\":\"{FunctionsDevHost.StorageApplicationId} ", StringComparison.Ordinal))
            {
                count++;
            }
        }
        return count;
    }
}
