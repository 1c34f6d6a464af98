using Azure;
using Microsoft.Extensions.Options;
using Moq;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Workspaces;

public sealed class WidgetDirectoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Mock<IProjectKeyStore> _keys = new();
    private readonly Mock<IWidgetStore> _widgets = new();
    private readonly ManualTime _time = new(Start);
    private readonly WidgetDirectory _directory;

    public WidgetDirectoryTests()
    {
        _directory = new WidgetDirectory(_keys.Object, _widgets.Object, _time,
            Options.Create(new WidgetDirectoryOptions { CacheDuration = TimeSpan.FromSeconds(5) }));
    }

    private SiteWidget Widget(WidgetPause? pause = null) => new()
    {
        Id = "wdg_1",
        WorkspaceId = "ws_1",
        Name = "Site",
        ProjectKey = "pk_live_a",
        IdentitySecret = "wis_x",
        Config = new WidgetConfig(),
        Pause = pause,
        CreatedAt = Start,
        UpdatedAt = Start,
    };

    private void Store(SiteWidget widget, DateTimeOffset? retiresAt = null)
    {
        _keys.Setup(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ProjectKey { Key = "pk_live_a", WorkspaceId = "ws_1", WidgetId = "wdg_1", CreatedAt = Start, RetiresAt = retiresAt });
        _widgets.Setup(w => w.GetAsync("ws_1", "wdg_1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new Stored<SiteWidget>(widget, new ETag("\"1\"")));
    }

    [Fact]
    public async Task Fresh_entry_is_served_without_storage()
    {
        Store(Widget());

        await _directory.ResolveAsync("pk_live_a");
        _time.Advance(TimeSpan.FromSeconds(4));
        await _directory.ResolveAsync("pk_live_a");

        _keys.Verify(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Expired_entry_is_reloaded()
    {
        Store(Widget());

        await _directory.ResolveAsync("pk_live_a");
        _time.Advance(TimeSpan.FromSeconds(6));
        await _directory.ResolveAsync("pk_live_a");

        _keys.Verify(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Unknown_key_is_cached_as_unknown()
    {
        _keys.Setup(k => k.FindAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync((ProjectKey?)null);

        var first = await _directory.ResolveAsync("pk_live_nope");
        var second = await _directory.ResolveAsync("pk_live_nope");

        Assert.Null(first);
        Assert.Null(second);
        _keys.Verify(k => k.FindAsync("pk_live_nope", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Concurrent_misses_share_one_load()
    {
        var gate = new TaskCompletionSource<ProjectKey?>();
        _keys.Setup(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>())).Returns(gate.Task);

        var lookups = Enumerable.Range(0, 20).Select(_ => _directory.ResolveAsync("pk_live_a").AsTask()).ToList();
        gate.SetResult(null);
        await Task.WhenAll(lookups);

        _keys.Verify(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Failed_load_is_not_remembered()
    {
        _keys.SetupSequence(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "down"))
            .ReturnsAsync((ProjectKey?)null);

        await Assert.ThrowsAsync<RequestFailedException>(() => _directory.ResolveAsync("pk_live_a").AsTask());
        var second = await _directory.ResolveAsync("pk_live_a");

        Assert.Null(second);
    }

    [Fact]
    public async Task Retired_key_does_not_resolve()
    {
        Store(Widget(), retiresAt: Start.AddSeconds(-1));

        Assert.Null(await _directory.ResolveAsync("pk_live_a"));
    }

    [Fact]
    public async Task Entry_expires_when_the_key_retires_even_inside_the_cache_period()
    {
        Store(Widget(), retiresAt: Start.AddSeconds(2));

        Assert.NotNull(await _directory.ResolveAsync("pk_live_a"));
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.Null(await _directory.ResolveAsync("pk_live_a"));
    }

    [Fact]
    public async Task Paused_widget_becomes_live_at_its_resume_time()
    {
        Store(Widget(new WidgetPause("maintenance", Start, Start.AddSeconds(2))));

        var paused = await _directory.ResolveAsync("pk_live_a");
        _time.Advance(TimeSpan.FromSeconds(3));
        var resumed = await _directory.ResolveAsync("pk_live_a");

        Assert.False(paused!.Live);
        Assert.True(resumed!.Live);
        Assert.NotEqual(paused.ConfigETag, resumed.ConfigETag);
    }

    [Fact]
    public async Task Invalidate_forces_the_next_lookup_to_storage()
    {
        Store(Widget());

        await _directory.ResolveAsync("pk_live_a");
        _directory.Invalidate("pk_live_a");
        await _directory.ResolveAsync("pk_live_a");

        _keys.Verify(k => k.FindAsync("pk_live_a", It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
