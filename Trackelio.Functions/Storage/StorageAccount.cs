using Azure.Core.Pipeline;
using Trackelio.Functions.Storage.Blobs;
using Trackelio.Functions.Storage.Queues;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Storage;

/// <summary>
/// The storage account the app uses: one pipeline per service, shared by every client
/// it hands out. Register as a singleton.
/// </summary>
public class StorageAccount
{
    private readonly StorageConnection _connection;
    private readonly Lazy<HttpPipeline> _tablePipeline;
    private readonly Lazy<HttpPipeline> _blobPipeline;
    private readonly Lazy<HttpPipeline> _queuePipeline;

    /// <summary>For mocking.</summary>
    protected StorageAccount()
    {
        _connection = null!;
        _tablePipeline = null!;
        _blobPipeline = null!;
        _queuePipeline = null!;
    }

    public StorageAccount(StorageConnection connection, StorageClientOptions? options = null)
    {
        _connection = connection;
        options ??= new StorageClientOptions();
        _tablePipeline = new(() => StoragePipeline.Build(connection, options, table: true, Requests.Policy("table")));
        _blobPipeline = new(() => StoragePipeline.Build(connection, options, table: false, Requests.Policy("blob")));
        _queuePipeline = new(() => StoragePipeline.Build(connection, options, table: false, Requests.Policy("queue")));
    }

    /// <summary>Every request this account's clients have sent, by kind.</summary>
    public StorageRequestCounter Requests { get; } = new();

    public StorageConnection Connection => _connection;

    public virtual TableClient GetTableClient(string tableName) =>
        new(_tablePipeline.Value, _connection.TableEndpoint, tableName);

    public virtual BlobContainerClient GetBlobContainerClient(string containerName, int blockSize = BlobContainerClient.DefaultBlockSize) =>
        new(_blobPipeline.Value, _connection.BlobEndpoint, containerName, blockSize);

    public virtual QueueClient GetQueueClient(string queueName) =>
        new(_queuePipeline.Value, _connection.QueueEndpoint, queueName);
}
