using Azure.Storage.Queues;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §7: a message that is not base64 poisons only itself; the valid messages of its
/// batch are received (the Functions host's queue listener handles the SDK's decoding failures the
/// same way; the dev host's tests show the worker running the valid ones).
/// </summary>
public sealed class QueuePumpPoisonTests : IAsyncLifetime
{
    private readonly string _name = "work" + Guid.NewGuid().ToString("N")[..12];
    private StorageAccount _account = null!;
    private QueueClient _plain = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        _account = azurite.CreateAccount();
        await _account.GetQueueClient(_name).CreateIfNotExistsAsync();
        await _account.GetQueueClient(_name + "-poison").CreateIfNotExistsAsync();
        // Another writer that sends plain text, as a script or a misconfigured producer would.
        _plain = new QueueClient(azurite.ConnectionString, _name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        await _plain.SendMessageAsync(Convert.ToBase64String("hello"u8));
        await _plain.SendMessageAsync("{not base64!}");
        await _plain.SendMessageAsync(Convert.ToBase64String("world"u8));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Receive_keeps_the_batch_and_moves_the_undecodable_message_to_poison()
    {
        var messages = (await _account.GetQueueClient(_name).ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;

        Assert.Equal(["hello", "world"], messages.Select(m => m.MessageText).Order());
        Assert.Equal("{not base64!}", (await _account.GetQueueClient(_name + "-poison").PeekMessagesAsync()).Value.Single().MessageText);
    }
}
