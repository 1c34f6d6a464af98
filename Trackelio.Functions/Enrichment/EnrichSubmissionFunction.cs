using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Enrichment;

/// <summary>Finishes a widget submission from the <c>submissions</c> queue (<see cref="SubmissionEnricher"/>).</summary>
public sealed class EnrichSubmissionFunction(QueueFunctionRunner runner)
{
    [Function(SubmissionEnricher.FunctionName)]
    public Task Run([QueueTrigger(StorageNames.Queues.Submissions)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(SubmissionEnricher.FunctionName, message, context, cancellationToken);
}
