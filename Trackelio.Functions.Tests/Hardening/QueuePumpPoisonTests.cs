using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Queues;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Tests.Storage;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §7: a message that is not base64 poisons only itself; the valid messages of its
/// batch run (as under the Functions host).
/// </summary>
public sealed class QueuePumpPoisonTests
{
    private const string Batch = """
        <?xml version="1.0" encoding="utf-8"?><QueueMessagesList>
        <QueueMessage><MessageId>m1</MessageId><InsertionTime>Fri, 14 Nov 2025 09:00:00 GMT</InsertionTime><ExpirationTime>Fri, 21 Nov 2025 09:00:00 GMT</ExpirationTime><PopReceipt>p1</PopReceipt><TimeNextVisible>Fri, 14 Nov 2025 09:00:30 GMT</TimeNextVisible><DequeueCount>1</DequeueCount><MessageText>aGVsbG8=</MessageText></QueueMessage>
        <QueueMessage><MessageId>m2</MessageId><InsertionTime>Fri, 14 Nov 2025 09:00:00 GMT</InsertionTime><ExpirationTime>Fri, 21 Nov 2025 09:00:00 GMT</ExpirationTime><PopReceipt>p2</PopReceipt><TimeNextVisible>Fri, 14 Nov 2025 09:00:30 GMT</TimeNextVisible><DequeueCount>1</DequeueCount><MessageText>{not base64!}</MessageText></QueueMessage>
        <QueueMessage><MessageId>m3</MessageId><InsertionTime>Fri, 14 Nov 2025 09:00:00 GMT</InsertionTime><ExpirationTime>Fri, 21 Nov 2025 09:00:00 GMT</ExpirationTime><PopReceipt>p3</PopReceipt><TimeNextVisible>Fri, 14 Nov 2025 09:00:30 GMT</TimeNextVisible><DequeueCount>1</DequeueCount><MessageText>d29ybGQ=</MessageText></QueueMessage>
        </QueueMessagesList>
        """;

    [Fact]
    public async Task Receive_keeps_the_batch_and_flags_the_undecodable_message()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.OK, Batch, "application/xml"));
        var queue = new QueueClient(StorageConnection.Parse(StorageConnection.EmulatorConnectionString(1, 2, 3)), "q", StubHandler.Options(handler));

        var messages = (await queue.ReceiveMessagesAsync(16, TimeSpan.FromSeconds(30))).Value;

        Assert.Equal(["hello", "", "world"], messages.Select(m => m.Body));
        Assert.Equal([null, "{not base64!}", null], messages.Select(m => m.UndecodableText));
    }

    [Fact]
    public async Task The_pump_runs_the_valid_messages_and_poisons_the_bad_one()
    {
        var requests = new List<string>();
        var handler = new StubHandler(request =>
        {
            requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
            return request.Method == HttpMethod.Get
                ? StubHandler.Respond(HttpStatusCode.OK, Batch, "application/xml")
                : request.Method == HttpMethod.Post
                    ? StubHandler.Respond(HttpStatusCode.Created, "<QueueMessagesList><QueueMessage><MessageId>x</MessageId><InsertionTime>Fri, 14 Nov 2025 09:00:00 GMT</InsertionTime><ExpirationTime>Fri, 21 Nov 2025 09:00:00 GMT</ExpirationTime><PopReceipt>p</PopReceipt><TimeNextVisible>Fri, 14 Nov 2025 09:00:00 GMT</TimeNextVisible></QueueMessage></QueueMessagesList>", "application/xml")
                    : StubHandler.Respond(HttpStatusCode.NoContent);
        });
        var account = new StorageAccount(StorageConnection.Parse(StorageConnection.EmulatorConnectionString(1, 2, 3)), StubHandler.Options(handler));
        var seen = new Recorder();
        var services = new ServiceCollection().AddSingleton(seen).BuildServiceProvider();
        var function = new QueueFunction("Test", "work", typeof(Recorder));
        var runner = new QueueFunctionRunner(services, account, NullLogger<QueueFunctionRunner>.Instance);
        var pump = new QueuePump([function], runner, account, null!, Options.Create(new QueuePumpOptions()), NullLogger<QueuePump>.Instance);

        var taken = await pump.PumpOnceAsync(function, account.GetQueueClient("work"), CancellationToken.None);

        Assert.Equal(3, taken);
        Assert.Equal(["hello", "world"], seen.Messages.Order());
        Assert.Contains(requests, r => r.StartsWith("POST /devstoreaccount1/work-poison/messages", StringComparison.Ordinal));
        Assert.Equal(3, requests.Count(r => r.StartsWith("DELETE /devstoreaccount1/work/messages/", StringComparison.Ordinal)));
    }

    private sealed class Recorder : IQueueMessageHandler
    {
        public List<string> Messages { get; } = [];

        public Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }
            return Task.CompletedTask;
        }
    }
}
