using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Runs one message through its function's handler. A poison message is copied to the poison queue
/// with its reason logged, and counts as handled so it never blocks the queue.
/// </summary>
public sealed class QueueFunctionRunner(IServiceProvider services, StorageAccount account, ILogger<QueueFunctionRunner> logger)
{
    /// <summary>Runs the message; throws <see cref="QueueMessageFailedException"/> when the host should retry it.</summary>
    public async Task RunAsync(string functionName, string message, FunctionContext context, CancellationToken cancellationToken)
    {
        var function = services.GetServices<QueueFunction>().Single(f => f.Name == functionName);
        var dequeueCount = QueueFunction.DequeueCount(context);
        if (!await RunAsync(function, message, dequeueCount, cancellationToken))
        {
            throw new QueueMessageFailedException(function.Name, dequeueCount);
        }
    }

    /// <summary>True when the message is done with (handled or poisoned); false to retry it.</summary>
    public async Task<bool> RunAsync(QueueFunction function, string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var handler = (IQueueMessageHandler)services.GetRequiredService(function.HandlerType);
        try
        {
            await handler.HandleAsync(message, dequeueCount, cancellationToken);
            return true;
        }
        catch (PoisonMessageException ex)
        {
            logger.LogError(ex, "{Function}: message is poison and goes to {PoisonQueue}: {Reason}", function.Name, function.PoisonQueueName, ex.Message);
            await account.GetQueueClient(function.PoisonQueueName).SendMessageAsync(message, timeToLive: StorageNames.Queues.NeverExpires, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "{Function}: attempt {DequeueCount} failed; it will be retried", function.Name, dequeueCount);
            return false;
        }
    }
}
