using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Storage;

/// <summary>
/// The storage request counter the benchmark reports from (<see cref="StorageRequestCounter"/>)
/// counts exactly what reaches storage: checked once against the requests a private Azurite logs
/// with <c>--debug</c>, over submissions taken in and enriched end to end.
/// </summary>
public sealed class StorageRequestCountTests : IAsyncLifetime
{
    private AzuriteServer _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteServer.StartPrivateWithDebugLogAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Counted_requests_equal_the_requests_Azurite_logged()
    {
        const int submissions = 12;
        StorageRequestCounter counter;
        await using (var app = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b
            .UseSetting("AzureWebJobsStorage", _azurite.ConnectionString)
            .UseSetting("Trackelio:QueuePump:MinPollInterval", "00:00:00.020")
            .UseSetting("Trackelio:QueuePump:MaxPollInterval", "00:00:00.100")))
        {
            await app.Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
            var workspace = await app.Services.GetRequiredService<WorkspaceBootstrap>()
                .CreateAsync(new BootstrapRequest { WorkspaceName = "Counted", OwnerEmail = "owner@counted.example" });
            var client = app.CreateClient();
            var ids = new List<string>();
            for (var i = 0; i < submissions; i++)
            {
                var response = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));
                response.EnsureSuccessStatusCode();
                ids.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").GetProperty("id").GetString()!);
            }
            var feedback = app.Services.GetRequiredService<IFeedbackStore>();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (await feedback.GetAsync(workspace.WorkspaceId, ids[^1]) is null && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            Assert.Equal(submissions, await app.Services.GetRequiredService<ICounterStore>().GetAsync(workspace.WorkspaceId, "feedback|total"));
            counter = app.Services.GetRequiredService<StorageAccount>().Requests;
        }

        // The app is stopped. Azurite writes its log as it goes, and a background loop may still be
        // finishing one last request: wait until the log has caught up with the counter and both
        // stay put, then compare what each saw.
        long counted = -1, logged = -2;
        for (var i = 0; i < 100 && !(logged == counted && logged == CountLoggedRequests() && counted == counter.Total); i++)
        {
            await Task.Delay(100);
            counted = counter.Total;
            logged = CountLoggedRequests();
        }
        var kinds = counter.Snapshot();

        Assert.True(counted > submissions * 3, $"only {counted} requests counted");
        Assert.Equal(counted, logged);
        Assert.Equal(kinds.GetValueOrDefault("table:batch"), CountLoggedRequests("$batch"));
    }

    /// <summary>Azurite logs one <c>…StorageContextMiddleware: RequestMethod=…</c> line per request it receives.</summary>
    private long CountLoggedRequests(string? urlContains = null)
    {
        using var stream = new FileStream(_azurite.DebugLogPath!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        long count = 0;
        while (reader.ReadLine() is { } line)
        {
            var at = line.IndexOf("StorageContextMiddleware: RequestMethod=", StringComparison.Ordinal);
            if (at >= 0 && (urlContains is null || line.IndexOf(urlContains, at, StringComparison.Ordinal) >= 0))
            {
                count++;
            }
        }
        return count;
    }
}
