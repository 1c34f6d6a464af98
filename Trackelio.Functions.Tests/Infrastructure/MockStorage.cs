using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Moq;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// A <see cref="StorageAccount"/> over Moq mocks of the Azure SDK's clients (their members are virtual, made
/// to be mocked): for a store's behaviour when storage answers what Azurite cannot be made to (a refusal, an
/// outage between two calls). A client not set up answers every call with <see cref="MockBehavior.Strict"/>'s exception.
/// </summary>
public sealed class MockStorage
{
    public Mock<TableServiceClient> Tables { get; } = new(MockBehavior.Strict);
    public Mock<BlobServiceClient> Blobs { get; } = new(MockBehavior.Strict);
    public Mock<QueueServiceClient> Queues { get; } = new(MockBehavior.Strict);

    public StorageAccount Account => new(Tables.Object, Blobs.Object, Queues.Object, new StorageRequestCounter());

    public Mock<TableClient> Table(string name)
    {
        var table = new Mock<TableClient>(MockBehavior.Strict);
        table.SetupGet(t => t.Name).Returns(name);
        Tables.Setup(t => t.GetTableClient(name)).Returns(table.Object);
        return table;
    }

    public Mock<BlobContainerClient> Container(string name)
    {
        var container = new Mock<BlobContainerClient>(MockBehavior.Strict);
        container.SetupGet(c => c.Name).Returns(name);
        Blobs.Setup(b => b.GetBlobContainerClient(name)).Returns(container.Object);
        return container;
    }

    public Mock<QueueClient> Queue(string name)
    {
        var queue = new Mock<QueueClient>(MockBehavior.Strict);
        queue.SetupGet(q => q.Name).Returns(name);
        Queues.Setup(q => q.GetQueueClient(name)).Returns(queue.Object);
        return queue;
    }

    public static RequestFailedException Refused(int status, string code) => new(status, $"Refused ({code}).", code, null);
}
