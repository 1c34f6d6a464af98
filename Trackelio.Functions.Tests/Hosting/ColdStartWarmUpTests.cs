using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Widget.Cors;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// The cold-start warm-up (<see cref="ColdStartWarmUp"/>) against a real Azurite: it opens the
/// connection on the account the app then uses, and sends its one request (a preflight) through the
/// pipeline behind it as soon as that is built, before the server takes requests. The packaged app's run of
/// it under the host is checked by <see cref="PackageSmokeTests"/>.
/// </summary>
public sealed class ColdStartWarmUpTests
{
    [Fact]
    public async Task Opens_storage_on_the_apps_own_account_and_sends_one_preflight_through_routing_before_listening()
    {
        var azurite = await AzuriteServer.GetAsync();
        var warmUp = ColdStartWarmUp.Begin(Settings(azurite.ConnectionString)); // as BeginUnderHost does, before the host is built
        Assert.NotNull(warmUp);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["AzureWebJobsStorage"] = azurite.ConnectionString;
        builder.AddColdStartWarmUp(warmUp);
        builder.Services.AddStorage();
        await using var app = builder.Build();

        var routed = new List<string>();
        var endpointRan = false;
        var pipelineBuilt = false;
        app.Use(next =>
        {
            pipelineBuilt = true;
            return next;
        });
        app.UseColdStartWarmUp();
        app.UseRouting(); // behind the warm-up, as in the app: its request is what makes routing build its matcher
        app.Use((context, next) =>
        {
            lock (routed)
            {
                routed.Add($"{context.Request.Method} {context.Request.Path} -> {context.GetEndpoint()?.DisplayName ?? "no endpoint"}");
            }
            return next(context);
        });
        app.UseWidgetPreflight();
        app.MapGet(ColdStartWarmUp.ConfigPath, () =>
        {
            endpointRan = true;
            return Results.Ok();
        });
        Assert.False(pipelineBuilt);

        await app.StartAsync();
        Assert.True(pipelineBuilt);
        var (storage, pipeline, status) = await app.Services.GetRequiredService<ColdStartWarmUp>().Completion().WaitAsync(TimeSpan.FromSeconds(30));

        // Routing matched the preflight (to its 405 endpoint: the route allows GET only); the preflight middleware answered it.
        Assert.Equal(StatusCodes.Status204NoContent, status);
        var seen = Assert.Single(routed);
        Assert.StartsWith($"OPTIONS {ColdStartWarmUp.ConfigPath} -> ", seen);
        Assert.DoesNotContain("no endpoint", seen);
        Assert.False(endpointRan);
        Assert.True(storage > TimeSpan.Zero && pipeline > TimeSpan.Zero);
        // AddStorage kept the warm-up's account: the one the app uses has sent the warm-up's point read (the key; it does not exist).
        var account = app.Services.GetRequiredService<StorageAccount>();
        Assert.Equal(1, account.Requests.Snapshot().GetValueOrDefault("table:get"));
        await app.StopAsync();
    }

    [Fact]
    public async Task When_the_app_names_other_storage_than_the_environment_did_the_app_makes_its_own_account()
    {
        var azurite = await AzuriteServer.GetAsync();
        var warmUp = ColdStartWarmUp.Begin(Settings(azurite.ConnectionString));
        Assert.NotNull(warmUp);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        builder.AddColdStartWarmUp(warmUp);
        builder.Services.AddStorage();
        await using var app = builder.Build();

        Assert.Same(warmUp, app.Services.GetRequiredService<ColdStartWarmUp>());
        var account = app.Services.GetRequiredService<StorageAccount>();
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", account.Tables.Uri.ToString().TrimEnd('/'));
        Assert.Equal(0, account.Requests.Snapshot().GetValueOrDefault("table:get"));
    }

    [Fact]
    public async Task Without_a_storage_setting_does_nothing_and_start_up_reports_the_setting_as_before()
    {
        Assert.Null(ColdStartWarmUp.Begin(Settings(connectionString: null)));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddColdStartWarmUp(null);
        builder.Services.AddStorage();
        await using var app = builder.Build();
        app.UseColdStartWarmUp();

        Assert.Null(app.Services.GetService<ColdStartWarmUp>());
        var error = Assert.Throws<InvalidOperationException>(() => app.Services.GetRequiredService<StorageAccount>());
        Assert.Contains("No storage connection is configured", error.Message);
    }

    [Fact]
    public async Task A_setting_that_makes_no_account_is_reported_when_the_app_first_needs_storage_as_before()
    {
        const string malformed = "AccountName=devstoreaccount1"; // no key
        var warmUp = ColdStartWarmUp.Begin(Settings(malformed));
        Assert.NotNull(warmUp);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["AzureWebJobsStorage"] = malformed;
        builder.AddColdStartWarmUp(warmUp);
        builder.Services.AddStorage();
        await using var app = builder.Build();

        var error = Assert.Throws<FormatException>(() => app.Services.GetRequiredService<StorageAccount>());
        Assert.Contains("needs AccountName and AccountKey", error.Message);
        await Assert.ThrowsAsync<FormatException>(() => warmUp.Completion().WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Standalone_the_app_does_not_warm_itself_up()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HostingExtensions.HostPortSetting)), "the tests run outside the host");
        Assert.Null(ColdStartWarmUp.BeginUnderHost());
        await using var app = new TrackelioApp();
        await app.InitializeAsync();
        Assert.Null(app.Services.GetService<ColdStartWarmUp>());
        Assert.Equal(0, app.Services.GetRequiredService<StorageAccount>().Requests.Snapshot().GetValueOrDefault("table:get"));
    }

    private static IConfiguration Settings(string? connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connectionString }).Build();
}
