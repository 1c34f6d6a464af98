using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Trackelio.Functions.Api;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Security;

/// <summary>Unknown keys cost a bounded amount of memory: the negative caches evict the oldest past their capacity.</summary>
public sealed class NegativeCacheTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Past_its_capacity_the_oldest_keys_are_evicted_first()
    {
        var cache = new NegativeCache(3, TimeSpan.FromSeconds(30), _clock);

        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            cache.Add(key);
        }

        Assert.Equal(3, cache.Count);
        Assert.False(cache.Contains("a"));
        Assert.True(cache.Contains("b") && cache.Contains("c") && cache.Contains("d"));
    }

    [Fact]
    public void Entries_expire_and_a_key_added_again_keeps_one_place()
    {
        var cache = new NegativeCache(2, TimeSpan.FromSeconds(5), _clock);

        cache.Add("a");
        cache.Add("a");
        cache.Add("b");
        var bothKept = cache.Contains("a") && cache.Contains("b");
        _clock.Set(_clock.GetUtcNow().AddSeconds(6));

        Assert.True(bothKept);
        Assert.False(cache.Contains("a"));
        Assert.False(cache.Contains("b"));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Forty_thousand_unknown_project_keys_keep_at_most_the_bound()
    {
        var keys = new Mock<IProjectKeyStore>();
        keys.Setup(k => k.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ProjectKey?)null);
        var directory = new WidgetDirectory(keys.Object, Mock.Of<IWidgetStore>(), _clock,
            Options.Create(new WidgetDirectoryOptions { UnknownKeysRemembered = 1_000 }));

        for (var i = 0; i < 40_000; i++)
        {
            Assert.Null(await directory.ResolveAsync($"pk_live_unknown{i:D6}"));
        }
        Assert.Null(await directory.ResolveAsync("pk_live_unknown039999")); // still remembered: no storage call

        Assert.InRange(directory.UnknownKeysCached, 1, 1_000);
        Assert.Equal(0, directory.KeysCached);
        keys.Verify(k => k.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(40_000));
    }

    [Fact]
    public async Task Forty_thousand_unknown_api_keys_keep_at_most_the_bound()
    {
        var keys = new Mock<IApiKeyStore>();
        keys.Setup(k => k.FindBySecretHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ApiKey?)null);
        var directory = new ApiKeyDirectory(keys.Object, Mock.Of<ITeamStore>(), _clock,
            Options.Create(new ApiKeyOptions { UnknownKeysRemembered = 1_000 }), NullLogger<ApiKeyDirectory>.Instance);

        for (var i = 0; i < 40_000; i++)
        {
            var (key, rejection) = await directory.AuthenticateAsync($"sk_live_unknown{i:D6}", CancellationToken.None);
            Assert.Null(key);
            Assert.Equal(KeyRejection.Unknown, rejection);
        }
        await directory.AuthenticateAsync("sk_live_unknown039999", CancellationToken.None); // still remembered: no storage call

        Assert.InRange(directory.UnknownKeysCached, 1, 1_000);
        keys.Verify(k => k.FindBySecretHashAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Exactly(40_000));
    }
}
