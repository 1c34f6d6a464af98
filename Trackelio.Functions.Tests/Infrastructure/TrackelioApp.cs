using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Trackelio.Functions.Composition;
using Trackelio.DevHost;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The real app — its build output, started by the dev host as the Functions host starts an
/// isolated worker (scripts/devhost) — on the run's Azurite. One per test collection; tests keep
/// their data apart by bootstrapping a workspace of their own. <see cref="Services"/> is the
/// test's own copy of the app's modules on the same storage account (to arrange data and read
/// what the app wrote), always straight to Azurite; the app's in-memory state (caches, limiter
/// counts) is its own.
/// </summary>
public class TrackelioApp : IAsyncLifetime, IAsyncDisposable
{
    private readonly AppLog _log = new();
    private FunctionsDevHost? _host;
    private ServiceProvider? _services;

    public AzuriteServer Azurite { get; private set; } = null!;

    /// <summary>The dev host running the app: its address, the functions it indexed, the invocations it made.</summary>
    public FunctionsDevHost Host => _host ?? throw new InvalidOperationException("The app is not started.");

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The app is not started.");

    /// <summary>The build the tests run: the app's own output folder, as <c>func start</c> would run it.</summary>
    public static string AppDirectory => Path.Combine(RepositoryRoot.Path, "Trackelio.Functions", "bin",
#if DEBUG
        "Debug",
#else
        "Release",
#endif
        "net10.0");

    /// <summary>
    /// Settings for the app under test (configuration keys; they reach the worker as app settings,
    /// <c>Trackelio__…</c>). Queue triggers poll fast and retry soon (host.json overrides, as app
    /// settings override it on the platform), so tests wait milliseconds, not seconds.
    /// </summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        // The test machine is shared and often saturated: the storage deadline here only catches a
        // hang. The deadline tests (StorageDeadlineTests, FaultTests) set the short one they test.
        ["Trackelio:Storage:RequestDeadline"] = "00:00:30",
        ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.100",
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00.200",
        // Rate limits get a fixture of their own (RateLimitTests); here they must not get in the way.
        ["Trackelio:RateLimits:ReadsPerMinute"] = "1000000",
        ["Trackelio:RateLimits:WritesPerMinute"] = "1000000",
        ["Trackelio:RateLimits:UserListsPerMinute"] = "1000000",
        ["Trackelio:Messenger:StartsPerIpPerMinute"] = "1000000",
        ["Trackelio:Messenger:StartsPerWidgetPerMinute"] = "1000000",
        ["Trackelio:WidgetWrites:WritesPerMinute"] = "1000000",
        ["Trackelio:WidgetWrites:WritesPerIpPerMinute"] = "1000000",
        // Tests change widgets in storage and read them back through the app at once.
        ["Trackelio:WidgetDirectory:CacheDuration"] = "00:00:00.050",
        // Webhook receivers in tests listen on loopback, and retries come quickly.
        ["Trackelio:Webhooks:AllowPrivateTargets"] = "true",
        ["Trackelio:Webhooks:FirstRetryDelay"] = "00:00:00.100",
        ["Trackelio:Webhooks:BackoffFactor"] = "1",
    };

    public virtual async Task InitializeAsync()
    {
        Azurite = await StartAzuriteAsync();
        var settings = Settings.Where(s => s.Value is not null).ToDictionary();
        settings["AzureWebJobsStorage"] = StorageConnectionString;
        // Straight to Azurite, whatever the app's storage goes through (ProxiedApp): the test's own
        // requests are not the app's, and a fault or a request log in between is for the app's.
        _services = BuildServices(new Dictionary<string, string?>(settings) { ["AzureWebJobsStorage"] = Azurite.ConnectionString });
        await Services.GetRequiredService<StorageInitializer>().EnsureCreatedAsync(CancellationToken.None);
        _host = await FunctionsDevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = AppDirectory,
            Settings = settings.Where(s => s.Value is not null).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value),
            Log = _log.Write,
        });
    }

    /// <summary>The storage the app talks to: Azurite's, unless a fixture puts something in between.</summary>
    protected virtual string StorageConnectionString => Azurite.ConnectionString;

    /// <summary>The storage this app runs on: the run's shared Azurite unless a fixture brings its own.</summary>
    protected virtual Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.GetAsync();

    /// <summary>The app's modules, as the worker registers them, for the test's own use of the same storage.</summary>
    private static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddTrackelio(configuration);
        services.RemoveAll<IHostedService>();
        return services.BuildServiceProvider();
    }

    /// <summary>What the host and the worker logged, the latest last (for a failing test's message).</summary>
    public string RecentLog => _log.Recent;

    /// <summary>A client of the app's HTTP front door; every response is recorded for the contract check.</summary>
    public HttpClient CreateClient() => CreateClient(clientAddress: null);

    /// <summary>A client whose requests come from <paramref name="clientAddress"/> (a loopback address, 127.x.y.z), as a distinct caller.</summary>
    public HttpClient CreateClient(string? clientAddress) =>
        new(new ResponseRecorder(TestClientAddress.Handler(clientAddress))) { BaseAddress = Host.BaseAddress };

    /// <summary>A client that sends the key as <c>Authorization: Bearer</c>.</summary>
    public HttpClient CreateManagementClient(string secretKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secretKey);
        return client;
    }

    /// <summary>A new workspace with an owner, admin key and widget, for one test's data.</summary>
    public Task<BootstrapResult> CreateWorkspaceAsync(params string[] allowedOrigins) =>
        Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest
        {
            WorkspaceName = "Test " + Guid.NewGuid().ToString("N")[..8],
            OwnerEmail = $"owner-{Guid.NewGuid():N}@example.com",
            AllowedOrigins = allowedOrigins,
        });

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

    /// <summary>
    /// Waits out the app's widget and project-key cache (50 ms in the tests' settings): after a change
    /// made in storage directly, the app's next request reads it, as another instance would.
    /// </summary>
    public static Task CachesExpiredAsync() => Task.Delay(TimeSpan.FromMilliseconds(120));

    /// <summary>Changes a widget in storage; the app serves the change once its cache has expired (this waits for that).</summary>
    public async Task UpdateWidgetAsync(BootstrapResult workspace, Func<SiteWidget, SiteWidget> change)
    {
        var widgets = Get<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        await widgets.ReplaceAsync(change(stored.Value), stored.ETag);
        Get<WidgetDirectory>().Invalidate(workspace.ProjectKey);
        await CachesExpiredAsync();
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
        throw new Xunit.Sdk.XunitException($"Feedback {feedbackId} was not written within 20 s. The app's log ends:\n{RecentLog}");
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public virtual async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>The host's and the worker's log lines: the latest kept in memory, all of them in <c>.trackelio/test-logs/</c>.</summary>
    private sealed class AppLog
    {
        private const int Kept = 200;
        private readonly Queue<string> _recent = new();
        private readonly Lock _gate = new();
        private readonly string _file = Path.Combine(RepositoryRoot.Path, ".trackelio", "test-logs", $"app-{Environment.ProcessId}-{Guid.NewGuid():N}.log");

        public string Recent
        {
            get
            {
                lock (_gate)
                {
                    return string.Join('\n', _recent);
                }
            }
        }

        public void Write(string line)
        {
            lock (_gate)
            {
                _recent.Enqueue(line);
                while (_recent.Count > Kept)
                {
                    _recent.Dequeue();
                }
                Directory.CreateDirectory(Path.GetDirectoryName(_file)!);
                File.AppendAllText(_file, line + "\n");
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<TrackelioApp>
{
    public const string Name = "App on Azurite";
}
