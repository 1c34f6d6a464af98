using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The real app, in process, on the run's Azurite. One per test collection; tests keep
/// their data apart by bootstrapping a workspace of their own.
/// </summary>
public class TrackelioApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>Settings for the app under test: a pump that polls fast and retries soon, so tests wait milliseconds, not seconds.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The test machine is shared and often saturated: the storage deadline here only catches a
        // hang. The deadline tests (StorageDeadlineTests, FaultTests) set the short one they test.
        ["Trackelio:Storage:RequestDeadline"] = "00:00:30",
        ["Trackelio:QueuePump:MinPollInterval"] = "00:00:00.020",
        ["Trackelio:QueuePump:MaxPollInterval"] = "00:00:00.100",
        ["Trackelio:QueuePump:RetryDelay"] = "00:00:00.200",
        // Rate limits get a fixture of their own (RateLimitTests); here they must not get in the way.
        ["Trackelio:RateLimits:ReadsPerMinute"] = "1000000",
        ["Trackelio:RateLimits:WritesPerMinute"] = "1000000",
        ["Trackelio:RateLimits:UserListsPerMinute"] = "1000000",
        ["Trackelio:Messenger:StartsPerIpPerMinute"] = "1000000",
        ["Trackelio:Messenger:StartsPerWidgetPerMinute"] = "1000000",
        ["Trackelio:WidgetWrites:WritesPerMinute"] = "1000000",
        ["Trackelio:WidgetWrites:WritesPerIpPerMinute"] = "1000000",
        // Webhook receivers in tests listen on loopback, and retries come quickly.
        ["Trackelio:Webhooks:AllowPrivateTargets"] = "true",
        ["Trackelio:Webhooks:FirstRetryDelay"] = "00:00:00.100",
        ["Trackelio:Webhooks:BackoffFactor"] = "1",
    };

    public virtual async Task InitializeAsync()
    {
        Azurite = await StartAzuriteAsync();
        await Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>The storage this app runs on: the run's shared Azurite unless a fixture brings its own.</summary>
    protected virtual Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.GetAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Every response is checked against the OpenAPI document after the run (scripts/contract-check.mjs).
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ResponseRecorder>());
        builder.UseSetting("AzureWebJobsStorage", Azurite.ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, TestClientAddress>());
    }

    /// <summary>A new workspace with an owner, admin key and widget, for one test's data.</summary>
    public Task<BootstrapResult> CreateWorkspaceAsync(params string[] allowedOrigins) =>
        Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest
        {
            WorkspaceName = "Test " + Guid.NewGuid().ToString("N")[..8],
            OwnerEmail = $"owner-{Guid.NewGuid():N}@example.com",
            AllowedOrigins = allowedOrigins,
        });

    /// <summary>A client that sends the key as <c>Authorization: Bearer</c>.</summary>
    public HttpClient CreateManagementClient(string secretKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secretKey);
        return client;
    }

    /// <summary>A member with the role and a key of their own, in the workspace.</summary>
    public async Task<string> CreateMemberKeyAsync(BootstrapResult workspace, TeamRole role)
    {
        var now = DateTimeOffset.UtcNow;
        var member = new TeamMember
        {
            Id = Trackelio.Functions.Api.Ids.New(Trackelio.Functions.Api.Ids.User),
            WorkspaceId = workspace.WorkspaceId,
            Email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com",
            Role = role,
            CreatedAt = now,
        };
        await Get<ITeamStore>().AddAsync(member);
        var secret = Trackelio.Functions.Api.Secrets.New("sk_live_");
        await Get<IApiKeyStore>().AddAsync(new ApiKey
        {
            Id = Trackelio.Functions.Api.Ids.New(Trackelio.Functions.Api.Ids.ApiKey),
            WorkspaceId = workspace.WorkspaceId,
            UserId = member.Id,
            Name = role + " key",
            Prefix = secret[..14],
            CreatedAt = now,
        }, Trackelio.Functions.Api.Secrets.Hash(secret));
        return secret;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Changes a widget in storage and drops this instance's cached copy, as the management API does.</summary>
    public async Task UpdateWidgetAsync(BootstrapResult workspace, Func<SiteWidget, SiteWidget> change)
    {
        var widgets = Get<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        await widgets.ReplaceAsync(change(stored.Value), stored.ETag);
        Get<WidgetDirectory>().Invalidate(workspace.ProjectKey);
    }

    /// <summary>The feedback record once the enrichment has written it (fails after 20 s).</summary>
    public async Task<FeedbackRecord> WaitForFeedbackAsync(string workspaceId, string feedbackId)
    {
        var store = Get<IFeedbackStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await store.GetAsync(workspaceId, feedbackId) is { } stored)
            {
                return stored.Value;
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Feedback {feedbackId} was not written within 20 s.");
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<TrackelioApp>
{
    public const string Name = "App on Azurite";
}
