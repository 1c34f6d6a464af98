using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using Trackelio.Functions.RateLimiting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.RateLimiting;

/// <summary>The limiter itself: several limiters (as several instances would hold) on one table in Azurite.</summary>
public sealed class SharedRateLimiterTests
{
    private static async Task<TableRateLimitStore> StoreAsync()
    {
        var account = (await AzuriteServer.GetAsync()).CreateAccount();
        await account.GetTableClient(StorageNames.Tables.RateLimits).CreateIfNotExistsAsync();
        return new TableRateLimitStore(account);
    }

    private static SharedRateLimiter Limiter(IRateLimitStore store, TimeProvider time, int allowancePercent = 2) =>
        new(store, time, Options.Create(new SharedRateLimiterOptions
        {
            LocalAllowancePercent = allowancePercent,
            StorageDeadline = TimeSpan.FromSeconds(30), // a loaded test machine is not an outage
        }), NullLogger<SharedRateLimiter>.Instance);

    private static async Task<int> AllowedAsync(IReadOnlyList<SharedRateLimiter> instances, string key, int limit, int requests) =>
        (await Task.WhenAll(Enumerable.Range(0, requests).Select(i => instances[i % instances.Count].AcquireAsync("test", key, limit).AsTask())))
        .Count(d => d.Allowed);

    [Fact]
    public async Task Three_instances_without_a_local_allowance_admit_exactly_the_limit_together()
    {
        var store = await StoreAsync();
        var clock = new ShiftedClock();
        clock.AdvanceToNextMinute();
        var instances = Enumerable.Range(0, 3).Select(_ => Limiter(store, clock, allowancePercent: 0)).ToList();

        var allowed = await AllowedAsync(instances, Guid.NewGuid().ToString("N"), limit: 60, requests: 90);

        Assert.Equal(60, allowed);
    }

    [Fact]
    public async Task Three_instances_with_the_local_allowance_admit_the_limit_and_at_most_k_more_per_other_instance()
    {
        var store = await StoreAsync();
        var clock = new ShiftedClock();
        clock.AdvanceToNextMinute();
        var instances = Enumerable.Range(0, 3).Select(_ => Limiter(store, clock, allowancePercent: 5)).ToList();
        var k = new SharedRateLimiterOptions { LocalAllowancePercent = 5 }.AllowanceFor(60);

        var allowed = await AllowedAsync(instances, Guid.NewGuid().ToString("N"), limit: 60, requests: 90);

        Assert.Equal(3, k);
        Assert.InRange(allowed, 60, 60 + (k * 2));
    }

    [Fact]
    public async Task A_refusal_says_when_the_window_ends_and_the_next_window_counts_afresh()
    {
        var store = await StoreAsync();
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 14, 9, 41, 20, TimeSpan.Zero));
        var limiter = Limiter(store, clock);
        var key = Guid.NewGuid().ToString("N");

        var first = await limiter.AcquireAsync("test", key, 2);
        var second = await limiter.AcquireAsync("test", key, 2);
        var third = await limiter.AcquireAsync("test", key, 2);
        clock.Set(new DateTimeOffset(2030, 1, 14, 9, 42, 0, TimeSpan.Zero));
        var nextWindow = await limiter.AcquireAsync("test", key, 2);

        Assert.Equal((true, 1), (first.Allowed, first.Remaining));
        Assert.Equal((true, 0), (second.Allowed, second.Remaining));
        Assert.False(third.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(40), third.Reset);
        Assert.True(nextWindow.Allowed);
    }

    [Fact]
    public async Task When_storage_fails_each_instance_counts_on_its_own_without_asking_storage_again()
    {
        var store = new Mock<IRateLimitStore>();
        store.Setup(s => s.AddAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<int?>(),
                It.IsAny<StoredCount>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "storage is down"));
        var limiter = Limiter(store.Object, new ManualClock(DateTimeOffset.UtcNow));

        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < 8; i++)
        {
            decisions.Add(await limiter.AcquireAsync("test", "key", 5));
        }

        Assert.Equal([true, true, true, true, true, false, false, false], decisions.Select(d => d.Allowed));
        store.Verify(s => s.AddAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<int>(), It.IsAny<int?>(),
            It.IsAny<StoredCount>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_sweep_deletes_ended_windows_and_keeps_the_current_one()
    {
        var store = await StoreAsync();
        var now = SharedRateLimiter.WindowOf(DateTimeOffset.UtcNow);
        var key = Guid.NewGuid().ToString("N");
        var (old, _) = await store.AddAsync("test", key, now.AddMinutes(-3), 1, null, default, CancellationToken.None);
        await store.AddAsync("test", key, now, 1, null, default, CancellationToken.None);

        var deleted = await store.DeleteWindowsBeforeAsync(now.AddMinutes(-1), 100_000, CancellationToken.None);
        var (oldAgain, _) = await store.AddAsync("test", key, now.AddMinutes(-3), 0, 10, default, CancellationToken.None);
        var (current, _) = await store.AddAsync("test", key, now, 0, 10, default, CancellationToken.None);

        Assert.Equal(1, old.Count);
        Assert.True(deleted >= 1);
        Assert.Equal(1, oldAgain.Count); // re-created by the take above: it started from zero
        Assert.Equal(2, current.Count);  // the current window kept its 1 and took one more
    }
}
