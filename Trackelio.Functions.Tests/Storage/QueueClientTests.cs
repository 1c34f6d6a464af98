using Trackelio.Functions.Storage.Queues;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Storage;

public sealed class QueueClientTests : IAsyncLifetime
{
    private QueueClient _queue = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _queue = new QueueClient(azurite.Connection, "q" + Guid.NewGuid().ToString("N"));
        await _queue.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_is_idempotent()
    {
        await _queue.CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task Sent_message_is_received_deleted_and_gone()
    {
        var text = """{"id":"fb_1","note":"<xml> & ünïcödé"}""";
        var receipt = (await _queue.SendMessageAsync(text)).Value;

        var received = (await _queue.ReceiveMessagesAsync(10, TimeSpan.FromSeconds(30))).Value;
        await _queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt);

        Assert.Equal(receipt.MessageId, Assert.Single(received).MessageId);
        Assert.Equal(text, received[0].Body);
        Assert.Equal(1, received[0].DequeueCount);
        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Received_message_is_hidden_until_visible_again()
    {
        await _queue.SendMessageAsync("m");
        var first = (await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.Single();

        var whileHidden = (await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value;
        await _queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero);
        var again = (await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.Single();

        Assert.Empty(whileHidden);
        Assert.Equal(first.MessageId, again.MessageId);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task Delayed_message_is_invisible_at_first()
    {
        await _queue.SendMessageAsync("later", visibilityDelay: TimeSpan.FromSeconds(60), timeToLive: TimeSpan.FromHours(1));

        var peeked = (await _queue.PeekMessagesAsync(5)).Value;

        Assert.Empty(peeked);
        Assert.Equal(1, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Peek_does_not_take_the_message()
    {
        await _queue.SendMessageAsync("look");

        var peeked = (await _queue.PeekMessagesAsync()).Value.Single();
        var received = (await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value.Single();

        Assert.Equal("look", peeked.Body);
        Assert.Equal(peeked.MessageId, received.MessageId);
    }

    [Fact]
    public async Task Oversized_message_is_refused_before_sending()
    {
        var tooBig = new string('x', QueueClient.MaxMessageTextBytes + 1);

        await Assert.ThrowsAsync<ArgumentException>(() => _queue.SendMessageAsync(tooBig));
        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task Clear_removes_every_message()
    {
        await _queue.SendMessageAsync("a");
        await _queue.SendMessageAsync("b");

        await _queue.ClearMessagesAsync();

        Assert.Equal(0, await _queue.GetApproximateMessageCountAsync());
    }
}
