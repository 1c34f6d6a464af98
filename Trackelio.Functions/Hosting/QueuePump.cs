using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Hosting;

public sealed class QueuePumpOptions
{
    /// <summary>Off under the Functions host, which triggers the functions itself.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages taken per receive (host.json's <c>batchSize</c>; the service allows at most 32).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// A new batch is fetched as soon as no more than this many messages are still running (host.json's
    /// <c>newBatchThreshold</c>), so the pump never idles waiting for a batch's slowest message: at most
    /// <c>BatchSize + NewBatchThreshold</c> run at once per queue.
    /// </summary>
    public int NewBatchThreshold { get; set; } = 8;

    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a failed message stays hidden before its next try (host.json's <c>visibilityTimeout</c>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed tries before a message goes to the poison queue (host.json's <c>maxDequeueCount</c>).</summary>
    public int MaxDequeueCount { get; set; } = 5;

    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Standalone, plays the Functions host's queue-trigger role with the same semantics: receive
/// a batch with a visibility timeout, run each message, delete it on success, hide it for
/// <see cref="QueuePumpOptions.RetryDelay"/> on failure, and move it to the poison queue after
/// <see cref="QueuePumpOptions.MaxDequeueCount"/> tries. Fetches the next batch while the last one
/// runs (<see cref="QueuePumpOptions.NewBatchThreshold"/>); polls at once while there is work and backs
/// off while the queue is empty.
/// </summary>
public sealed class QueuePump(IEnumerable<QueueFunction> functions, QueueFunctionRunner runner, StorageAccount account,
    StorageInitializer storage, IOptions<QueuePumpOptions> options, ILogger<QueuePump> logger) : BackgroundService
{
    private readonly QueuePumpOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }
        await storage.Ready.WaitAsync(stoppingToken);
        await Task.WhenAll(functions.Select(f => PumpAsync(f, stoppingToken)));
    }

    private async Task PumpAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        var queue = account.GetQueueClient(function.QueueName);
        var delay = _options.MinPollInterval;
        var running = 0;
        using var finished = new SemaphoreSlim(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Like the Functions host: fetch the next batch while the last one is still running.
                while (Volatile.Read(ref running) > _options.NewBatchThreshold)
                {
                    await finished.WaitAsync(stoppingToken);
                }
                QueueMessage[] messages = await queue.ReceiveMessagesAsync(_options.BatchSize, _options.VisibilityTimeout, stoppingToken);
                foreach (var message in messages)
                {
                    Interlocked.Increment(ref running);
                    _ = Task.Run(async () =>
                    {
                        try
                        {
                            await RunOneAsync(function, queue, message, stoppingToken);
                        }
                        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                        {
                            // The message reappears after its visibility timeout and is tried again.
                            logger.LogWarning(ex, "{Function}: message {MessageId} could not be settled", function.Name, message.MessageId);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref running);
                            finished.Release();
                        }
                    }, CancellationToken.None);
                }
                if (messages.Length > 0)
                {
                    delay = _options.MinPollInterval;
                    continue; // more may be waiting: ask again at once
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollInterval.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "{Function}: could not read {Queue}", function.Name, function.QueueName);
                delay = _options.MaxPollInterval;
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One receive-and-run round; returns how many messages it took.</summary>
    public async Task<int> PumpOnceAsync(QueueFunction function, QueueClient queue, CancellationToken cancellationToken)
    {
        QueueMessage[] messages = await queue.ReceiveMessagesAsync(_options.BatchSize, _options.VisibilityTimeout, cancellationToken);
        await Task.WhenAll(messages.Select(message => RunOneAsync(function, queue, message, cancellationToken)));
        return messages.Length;
    }

    private async Task RunOneAsync(QueueFunction function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        if (message.DequeueCount > _options.MaxDequeueCount)
        {
            // Taken more often than it may be tried (an earlier run died mid-way each time).
            await MoveToPoisonAsync(function, queue, message, cancellationToken);
            return;
        }

        // A message that is not base64 never gets here: the client hands it to StorageClientOptions' decoding-failure handler.
        if (await runner.RunAsync(function, message.MessageText, message.DequeueCount, cancellationToken))
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        else if (message.DequeueCount >= _options.MaxDequeueCount)
        {
            await MoveToPoisonAsync(function, queue, message, cancellationToken);
        }
        else
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: _options.RetryDelay, cancellationToken: cancellationToken);
        }
    }

    private async Task MoveToPoisonAsync(QueueFunction function, QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        logger.LogError("{Function}: message {MessageId} failed {DequeueCount} times and goes to {PoisonQueue}",
            function.Name, message.MessageId, message.DequeueCount, function.PoisonQueueName);
        await account.GetQueueClient(function.PoisonQueueName).SendMessageAsync(message.MessageText, timeToLive: StorageNames.Queues.NeverExpires, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
    }
}
