using Microsoft.Extensions.Options;
using Trackelio.Functions.Api.Limits;
using Trackelio.Functions.Storage.Blobs;

namespace Trackelio.Functions.Tests.Security;

public sealed class RequestBodyBudgetTests
{
    private static RequestBodyBudget Budget(long bytes) => new(Options.Create(new RequestLimitsOptions { BodyBudgetBytes = bytes }));

    /// <summary>A body that never sends anything more.</summary>
    private sealed class StalledStream : MemoryStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    [Fact]
    public void Reservations_share_one_budget_and_are_given_back()
    {
        var budget = Budget(100);

        var first = budget.TryReserve(60);
        var second = budget.TryReserve(60);
        budget.Release(60);
        var third = budget.TryReserve(60);

        Assert.True(first);
        Assert.False(second);
        Assert.True(third);
        Assert.Equal(60, budget.Reserved);
    }

    [Fact]
    public async Task A_chunked_body_reserves_as_it_is_read_up_to_what_its_endpoint_holds()
    {
        var budget = Budget(1000);
        var body = new BudgetedBodyStream(new MemoryStream(new byte[700]), budget, reserved: 0, holdsAtMost: 500, TimeSpan.FromSeconds(30), CancellationToken.None);
        var buffer = new byte[300];

        var first = await body.ReadAsync(buffer);
        var afterOne = budget.Reserved;
        var rest = await body.ReadAsync(buffer) + await body.ReadAsync(buffer);

        Assert.Equal(700, first + rest);
        Assert.Equal(300, afterOne);
        Assert.Equal(500, budget.Reserved); // a streaming endpoint holds one buffer, not the whole body
        Assert.Equal(500, body.Reserved);
    }

    [Fact]
    public async Task A_chunked_body_past_the_budget_is_refused()
    {
        var budget = Budget(400);
        Assert.True(budget.TryReserve(300)); // other requests in flight
        var body = new BudgetedBodyStream(new MemoryStream(new byte[700]), budget, reserved: 0, holdsAtMost: 1000, TimeSpan.FromSeconds(30), CancellationToken.None);

        await Assert.ThrowsAsync<RequestBodyBudgetExceededException>(() => body.ReadAsync(new byte[300]).AsTask());
        Assert.Equal(300, budget.Reserved);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_fails_the_read()
    {
        var body = new BudgetedBodyStream(new StalledStream(), Budget(1000), reserved: 0, holdsAtMost: 1000, TimeSpan.FromMilliseconds(200), CancellationToken.None);

        await Assert.ThrowsAsync<RequestBodyStalledException>(() => body.ReadAsync(new byte[10]).AsTask());
    }

    [Fact]
    public void The_upload_policy_holds_one_storage_block()
    {
        Assert.Equal(BlobUploads.BlockSize, RequestLimits.UploadBlockBytes);
        Assert.Equal(1024 * 1024, BlobUploads.BlockSize);
        Assert.Equal(BlobUploads.BlockSize, BlobUploads.Options("image/png").TransferOptions.MaximumTransferSize);
        Assert.Equal(1, BlobUploads.Options("image/png").TransferOptions.MaximumConcurrency);
        Assert.Equal(RequestLimits.UploadBlockBytes + RequestLimits.MultipartOverhead, RequestLimits.ByEndpoint["WidgetUpload"].HoldsAtMost);
    }
}
