using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// A queue-triggered function's work: its name, the queue it reads and the handler that does
/// the work. The function itself (<c>[Function]</c> with <c>[QueueTrigger]</c>) lives beside its
/// handler and hands each message to <see cref="QueueFunctionRunner"/>; retries, visibility and
/// <c>{queue}-poison</c> after <c>maxDequeueCount</c> are the host's (host.json <c>extensions.queues</c>).
/// </summary>
public sealed record QueueFunction(string Name, string QueueName, Type HandlerType)
{
    /// <summary>Where the host puts messages that failed <c>maxDequeueCount</c> times, and where a poison message goes at once.</summary>
    public string PoisonQueueName => QueueName + "-poison";

    /// <summary>How many times the message has been received, as the host's trigger metadata says (1 the first time).</summary>
    public static long DequeueCount(FunctionContext context) =>
        context.BindingContext.BindingData.TryGetValue("DequeueCount", out var value) && long.TryParse(value?.ToString(), out var count) ? count : 1;
}

/// <summary>Does the work of one queue message. Throwing makes it retry; <see cref="PoisonMessageException"/> sends it to the poison queue at once.</summary>
public interface IQueueMessageHandler
{
    Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken);
}

/// <summary>The message can never succeed (malformed, refers to nothing): retrying is pointless.</summary>
public sealed class PoisonMessageException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>The handler failed; the host makes the message visible again after <c>visibilityTimeout</c> and retries it.</summary>
public sealed class QueueMessageFailedException(string function, long dequeueCount)
    : Exception($"{function}: attempt {dequeueCount} failed; the host retries the message.");

public static class QueueFunctionExtensions
{
    public static IServiceCollection AddQueueFunction<THandler>(this IServiceCollection services, string name, string queueName)
        where THandler : class, IQueueMessageHandler
    {
        services.AddSingleton<THandler>();
        services.AddSingleton(new QueueFunction(name, queueName, typeof(THandler)));
        return services;
    }
}
