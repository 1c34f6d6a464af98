using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>Extra settings a derived fixture wants (e.g. a shorter cache).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.GetAsync();
        await Services.GetRequiredService<StorageInitializer>().Ready.WaitAsync(TimeSpan.FromSeconds(30));
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("AzureWebJobsStorage", Azurite.ConnectionString);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A new workspace with an owner, admin key and widget, for one test's data.</summary>
    public Task<BootstrapResult> CreateWorkspaceAsync(params string[] allowedOrigins) =>
        Services.GetRequiredService<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest
        {
            WorkspaceName = "Test " + Guid.NewGuid().ToString("N")[..8],
            OwnerEmail = $"owner-{Guid.NewGuid():N}@example.com",
            AllowedOrigins = allowedOrigins,
        });

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<TrackelioApp>
{
    public const string Name = "App on Azurite";
}
