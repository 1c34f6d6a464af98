using Azure.Storage.Queues;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions host's queue trigger for one message: receive it, send the custom handler the
/// invocation <see cref="HostInvocation"/> builds, and delete the message when the handler answers
/// 2xx. Otherwise the message stays and becomes visible again (the host retries it, and moves it to
/// the poison queue after <c>maxDequeueCount</c>).
/// </summary>
public static class HostQueueListener
{
    public static async Task<HttpResponseMessage> InvokeNextAsync(QueueClient queue, HttpClient handler, string functionName, string bindingName,
        HostInvocation.DataType dataType = HostInvocation.DataType.String)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30))).Value;
            if (received.Length == 1)
            {
                var message = received[0];
                var response = await handler.SendAsync(HostInvocation.ForQueueMessage(functionName, bindingName, message, dataType));
                if (response.IsSuccessStatusCode)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                return response;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No message arrived on queue '{queue.Name}' within 20 s.");
            }
            await Task.Delay(50);
        }
    }
}
