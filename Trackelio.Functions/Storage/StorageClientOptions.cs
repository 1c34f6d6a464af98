using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Storage;

/// <summary>The options every storage client of the app is built with: retries, the request counter, and per service what it needs.</summary>
public static class StorageClientOptions
{
    public static TableClientOptions Tables(StorageRequestCounter requests, Action<ClientOptions>? configure = null)
    {
        var options = Common(new TableClientOptions(), requests, "table", configure);
        // Tells a write whose response was lost from one refused (ExactWrites).
        options.AddPolicy(ExactWrites.AttemptPolicy, HttpPipelinePosition.PerRetry);
        return options;
    }

    public static BlobClientOptions Blobs(StorageRequestCounter requests, Action<ClientOptions>? configure = null) =>
        Common(new BlobClientOptions(), requests, "blob", configure);

    /// <summary>
    /// Messages are base64, as the Functions host's queue trigger reads them by default
    /// (<c>extensions.queues.messageEncoding</c>): plain text would fail to decode there and go straight to poison.
    /// A received message that is not base64 is moved to <c>{queue}-poison</c> by itself, as the host's
    /// queue listener does (its <c>MessageDecodingFailed</c> handler); the rest of its batch is received as usual.
    /// </summary>
    public static QueueClientOptions Queues(StorageRequestCounter requests, Action<ClientOptions>? configure = null)
    {
        var options = Common(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }, requests, "queue", configure);
        options.MessageDecodingFailed += MoveUndecodableToPoisonAsync;
        return options;
    }

    private static async Task MoveUndecodableToPoisonAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return; // peeked, not received: nothing to settle
        }
        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(args.Queue.Name + "-poison");
        await poison.SendMessageAsync(message.Body, timeToLive: StorageNames.Queues.NeverExpires, cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
    }

    private static T Common<T>(T options, StorageRequestCounter requests, string service, Action<ClientOptions>? configure)
        where T : ClientOptions
    {
        // A few quick retries: a request's own deadline (Api/StorageDeadline) bounds them all together.
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        options.AddPolicy(requests.Policy(service), HttpPipelinePosition.PerRetry);
        // No per-request event logging: AddAzureClients' log forwarder listens at Verbose, so every request and
        // response would be formatted (headers, redacted query) whatever the log level lets through, and each
        // 404/409/412 — how the stores read, claim and race — logged as a warning. Failures reach our logs as exceptions.
        options.Diagnostics.IsLoggingEnabled = false;
        configure?.Invoke(options);
        return options;
    }
}
