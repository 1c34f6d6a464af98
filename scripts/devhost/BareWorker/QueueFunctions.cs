using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.BareWorker;

public sealed class QueueFunctions(QueueServiceClient queues)
{
    /// <summary>Reports the text and the trigger metadata to <c>bare-done</c>; "fail" throws, so the host retries and then poisons it.</summary>
    [Function("QueueWork")]
    public async Task QueueWork([QueueTrigger("bare-work")] string text, FunctionContext context)
    {
        if (text == "fail")
        {
            throw new InvalidOperationException("bare worker fails this message on purpose");
        }
        var metadata = context.BindingContext.BindingData;
        await ReportAsync(new
        {
            function = "QueueWork",
            text,
            dequeueCount = metadata["DequeueCount"]?.ToString(),
            id = metadata["Id"]?.ToString(),
            popReceipt = metadata["PopReceipt"]?.ToString(),
            insertionTime = metadata["InsertionTime"]?.ToString(),
            queueTrigger = metadata["QueueTrigger"]?.ToString(),
        });
    }

    /// <summary>An SDK-typed trigger: the host sends it as deferred model-binding data, not text.</summary>
    [Function("QueueWorkMessage")]
    public async Task QueueWorkMessage([QueueTrigger("bare-work-message")] QueueMessage message)
        => await ReportAsync(new { function = "QueueWorkMessage", text = message.MessageText, dequeueCount = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture), id = message.MessageId });

    private async Task ReportAsync(object report)
    {
        var done = queues.GetQueueClient("bare-done");
        await done.CreateIfNotExistsAsync();
        await done.SendMessageAsync(JsonSerializer.Serialize(report));
    }
}
