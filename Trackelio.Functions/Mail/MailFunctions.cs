using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Mail;

/// <summary>The queue-triggered function that sends mail: one message per outgoing mail (queue <c>mail</c>).</summary>
public sealed class MailFunctions(QueueFunctionRunner runner)
{
    [Function(MailSender.FunctionName)]
    public Task Send([QueueTrigger(StorageNames.Queues.Mail)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(MailSender.FunctionName, message, context, cancellationToken);
}
