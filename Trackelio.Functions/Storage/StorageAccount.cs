using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Storage;

/// <summary>
/// The app's storage: the three Azure SDK service clients (registered once with <c>AddAzureClients</c>,
/// <see cref="StorageExtensions.AddStorage"/>) and the counter of every request they send. Stores take
/// their <see cref="TableClient"/>, <see cref="Azure.Storage.Blobs.BlobContainerClient"/> or
/// <see cref="QueueClient"/> from here by the names in <see cref="StorageNames"/>.
/// </summary>
public sealed class StorageAccount(TableServiceClient tables, BlobServiceClient blobs, QueueServiceClient queues, StorageRequestCounter requests)
{
    public TableServiceClient Tables => tables;
    public BlobServiceClient Blobs => blobs;
    public QueueServiceClient Queues => queues;

    /// <summary>Every request this account's clients have sent, by kind.</summary>
    public StorageRequestCounter Requests => requests;

    public TableClient GetTableClient(string tableName) => tables.GetTableClient(tableName);

    public Azure.Storage.Blobs.BlobContainerClient GetBlobContainerClient(string containerName) => blobs.GetBlobContainerClient(containerName);

    public QueueClient GetQueueClient(string queueName) => queues.GetQueueClient(queueName);

    /// <summary>
    /// An account outside the app's container (the cold-start warm-up's, tests', the benchmark's): the same
    /// clients, options and policies as <see cref="StorageExtensions.AddStorage"/> registers.
    /// <paramref name="configure"/> changes the options of all three (a test's transport, shorter retries).
    /// </summary>
    public static StorageAccount Create(IConfiguration configuration, Action<ClientOptions>? configure = null)
    {
        var requests = new StorageRequestCounter();
        var credential = new Lazy<TokenCredential>(() => StorageSettings.Credential(configuration));
        return new StorageAccount(
            StorageSettings.CreateTableServiceClient(configuration, StorageClientOptions.Tables(requests, configure), () => credential.Value),
            StorageSettings.CreateBlobServiceClient(configuration, StorageClientOptions.Blobs(requests, configure), () => credential.Value),
            StorageSettings.CreateQueueServiceClient(configuration, StorageClientOptions.Queues(requests, configure), () => credential.Value),
            requests);
    }

    /// <summary>An account for a connection string (Azurite in tests and benchmarks).</summary>
    public static StorageAccount Create(string connectionString, Action<ClientOptions>? configure = null) =>
        Create(new ConfigurationBuilder().AddInMemoryCollection([new(StorageSettings.SettingName, connectionString)]).Build(), configure);
}
