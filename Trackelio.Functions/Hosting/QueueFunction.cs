namespace Trackelio.Functions.Hosting;

/// <summary>
/// A queue-triggered function: its name (the host POSTs invocations to <c>/{Name}</c>), the
/// queue it reads and the handler that does the work. Under the Functions host, its
/// <c>function.json</c> has a <c>queueTrigger</c>; standalone, <see cref="QueuePump"/> reads the queue.
/// </summary>
public sealed record QueueFunction(string Name, string QueueName, Type HandlerType)
{
    /// <summary>Where the host (and the pump) put messages that failed <see cref="QueuePumpOptions.MaxDequeueCount"/> times.</summary>
    public string PoisonQueueName => QueueName + "-poison";
}

/// <summary>Does the work of one queue message. Throwing makes it retry; <see cref="PoisonMessageException"/> sends it to the poison queue at once.</summary>
public interface IQueueMessageHandler
{
    Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken);
}

/// <summary>The message can never succeed (malformed, refers to nothing): retrying is pointless.</summary>
public sealed class PoisonMessageException(string reason, Exception? inner = null) : Exception(reason, inner);

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
