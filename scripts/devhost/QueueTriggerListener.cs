using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Google.Protobuf;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>
/// One queue-triggered function's listener (QueueListener + QueueProcessor of
/// Microsoft.Azure.WebJobs.Extensions.Storage.Queues): poll with back-off, invoke, delete on
/// success, retry after visibilityTimeout, and move to "&lt;queue&gt;-poison" after maxDequeueCount.
/// The message is read undecoded and decoded here, so a body that is not valid base64 can go to
/// poison as it is (the extension's MessageDecodingFailed handler does the same).
/// </summary>
internal sealed class QueueTriggerListener
{
    private readonly IndexedFunction _function;
    private readonly FunctionInvoker _invoker;
    private readonly QueueOptions _options;
    private readonly QueueClient _queue;
    private readonly QueueClient? _poison;
    private readonly Action<string>? _log;
    private int _inFlight;

    public QueueTriggerListener(IndexedFunction function, FunctionInvoker invoker, QueueOptions options, HostConfiguration host, Action<string>? log)
    {
        _function = function;
        _invoker = invoker;
        _options = options;
        _log = log;
        var connectionName = string.IsNullOrEmpty(function.Connection) ? "AzureWebJobsStorage" : function.Connection;
        var connectionString = host.Setting(connectionName) ?? host.Setting("AzureWebJobsStorage")
            ?? throw new InvalidOperationException($"Function '{function.Name}': the connection setting '{connectionName}' is not set (the dev host takes a connection string).");
        var queueName = host.ResolveWholeString(function.QueueName ?? throw new InvalidOperationException($"Function '{function.Name}' has no queueName.")).ToLowerInvariant();
        // Raw bodies both ways: decoding is ours, and poison copies keep the bytes as they came. The
        // User-Agent names the dev host, so storage logs tell its polls from the worker's own requests.
        var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None, Diagnostics = { ApplicationId = FunctionsDevHost.StorageApplicationId } };
        try
        {
            _queue = new QueueClient(connectionString, queueName, clientOptions);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Function '{function.Name}': the setting '{connectionName}' is not a storage connection string ({ex.Message}): '{connectionString}'", ex);
        }
        // QueueListenerFactory.CreatePoisonQueueReference: none for a poison queue itself or when the name would be too long.
        var poisonName = queueName + "-poison";
        _poison = queueName.EndsWith("-poison", StringComparison.Ordinal) || poisonName.Length > 63 ? null : new QueueClient(connectionString, poisonName, clientOptions);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        // Deviation from QueueListener, which cancels a receive in flight when the host stops: a receive
        // cut after the service dequeued leaves its messages invisible for the 10-minute receive
        // visibility. Tests stop a dev host whenever they restart an app (AppProcess), so a receive in
        // flight may finish (5 s at most) and what it got is released at once, unprocessed.
        using var receiving = new CancellationTokenSource();
        using var stopReceiving = stopping.Register(() => receiving.CancelAfter(TimeSpan.FromSeconds(5)));
        var delay = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                // QueueListener: receive only while fewer than NewBatchThreshold messages are in flight.
                messages = Volatile.Read(ref _inFlight) <= _options.NewBatchThreshold
                    ? (await _queue.ReceiveMessagesAsync(_options.BatchSize, QueueOptions.ReceiveVisibilityTimeout, receiving.Token)).Value
                    : [];
                if (stopping.IsCancellationRequested)
                {
                    await Task.WhenAll(messages.Select(m => _queue.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero)));
                    return;
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                messages = []; // QueueListener treats a queue that does not exist yet as empty.
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                _log?.Invoke($"[host] queue '{_queue.Name}': {ex.Message}");
                messages = [];
            }

            if (messages.Length > 0)
            {
                // RandomizedExponentialBackoffStrategy: a message resets the back-off.
                delay = TimeSpan.Zero;
                foreach (var message in messages)
                {
                    Interlocked.Increment(ref _inFlight);
                    _ = ProcessAsync(message).ContinueWith(_ => Interlocked.Decrement(ref _inFlight), TaskScheduler.Default);
                }
                continue;
            }
            delay = delay == TimeSpan.Zero ? QueueOptions.MinimumPollingInterval : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxPollingInterval.Ticks));
            try
            {
                await Task.Delay(delay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ProcessAsync(QueueMessage raw)
    {
        try
        {
            byte[] body;
            if (_options.Base64)
            {
                try
                {
                    body = Convert.FromBase64String(raw.Body.ToString());
                }
                catch (FormatException)
                {
                    // QueueServiceClientProvider's MessageDecodingFailed handler: straight to poison, never invoked.
                    _log?.Invoke($"[host] message {raw.MessageId} on '{_queue.Name}' is not valid base64: moved to poison");
                    await MoveToPoisonAsync(raw);
                    return;
                }
            }
            else
            {
                body = raw.Body.ToArray();
            }
            var message = QueuesModelFactory.QueueMessage(raw.MessageId, raw.PopReceipt, new BinaryData(body), raw.DequeueCount, raw.NextVisibleOn, raw.InsertedOn, raw.ExpiresOn);

            // QueueProcessor.BeginProcessingMessageAsync: past maxDequeueCount already, poison without invoking.
            if (message.DequeueCount > _options.MaxDequeueCount && _poison is not null)
            {
                await MoveToPoisonAsync(raw);
                return;
            }

            var record = await _invoker.InvokeAsync(_function, "queue", BuildRequest(message));
            await CompleteProcessingMessageAsync(raw, record.Status == InvocationStatus.Success);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException)
        {
            _log?.Invoke($"[host] queue '{_queue.Name}' message {raw.MessageId}: {ex.Message}");
        }
    }

    /// <summary>QueueProcessor.CompleteProcessingMessageAsync.</summary>
    private async Task CompleteProcessingMessageAsync(QueueMessage raw, bool succeeded)
    {
        if (succeeded)
        {
            await _queue.DeleteMessageAsync(raw.MessageId, raw.PopReceipt);
        }
        else if (_poison is null)
        {
            // No poison queue: the message stays invisible for the receive timeout.
        }
        else if (raw.DequeueCount >= _options.MaxDequeueCount)
        {
            await MoveToPoisonAsync(raw);
        }
        else
        {
            await _queue.UpdateMessageAsync(raw.MessageId, raw.PopReceipt, visibilityTimeout: _options.VisibilityTimeout);
        }
    }

    /// <summary>QueueProcessor.CopyMessageToPoisonQueueAsync: AddMessageAndCreateIfNotExistsAsync, then delete the original.</summary>
    private async Task MoveToPoisonAsync(QueueMessage raw)
    {
        if (_poison is null)
        {
            return;
        }
        await _poison.CreateIfNotExistsAsync();
        await _poison.SendMessageAsync(raw.Body);
        await _queue.DeleteMessageAsync(raw.MessageId, raw.PopReceipt);
    }

    /// <summary>
    /// The trigger value by the binding's dataType (GeneralScriptBindingProvider + GrpcMessageConversionExtensions.ToRpc)
    /// and the binding data of QueueTriggerBinding.CreateBindingData.
    /// </summary>
    private InvocationRequest BuildRequest(QueueMessage message)
    {
        var request = FunctionInvoker.NewRequest(_function);
        var text = TryUtf8(message.Body);
        TypedData data;
        if (_function.SupportsDeferredBinding)
        {
            // StorageQueueMessageToParameterBindingDataConverter: the QueueMessage serialized as JSON.
            data = new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageQueues",
                    ContentType = "application/json",
                    Content = ByteString.CopyFrom(new BinaryData(message).ToArray()),
                },
            };
        }
        else if (string.Equals(_function.DataType, "Binary", StringComparison.OrdinalIgnoreCase)
                 || string.Equals(_function.DataType, "Stream", StringComparison.OrdinalIgnoreCase))
        {
            data = new TypedData { Bytes = ByteString.CopyFrom(message.Body.ToArray()) };
        }
        else
        {
            // String, and a POCO (no dataType: the host asks for string and the worker deserializes).
            data = new TypedData { String = text ?? message.Body.ToString() };
        }
        request.InputData.Add(new ParameterBinding { Name = _function.TriggerBindingName, Data = data });

        if (text is not null)
        {
            request.TriggerMetadata["QueueTrigger"] = new TypedData { String = text };
        }
        request.TriggerMetadata["DequeueCount"] = new TypedData { Json = message.DequeueCount.ToString(CultureInfo.InvariantCulture) };
        request.TriggerMetadata["ExpirationTime"] = new TypedData { Json = JsonDate(message.ExpiresOn ?? DateTimeOffset.MaxValue) };
        request.TriggerMetadata["Id"] = new TypedData { String = message.MessageId };
        request.TriggerMetadata["InsertionTime"] = new TypedData { Json = JsonDate(message.InsertedOn ?? DateTimeOffset.UtcNow) };
        request.TriggerMetadata["NextVisibleTime"] = new TypedData { Json = JsonDate(message.NextVisibleOn ?? DateTimeOffset.MaxValue) };
        request.TriggerMetadata["PopReceipt"] = new TypedData { String = message.PopReceipt };
        return request;
    }

    /// <summary>Json.NET's default (IsoDateFormat) for a DateTimeOffset, as ToRpcDefault writes it.</summary>
    internal static string JsonDate(DateTimeOffset value)
        => JsonSerializer.Serialize(value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));

    /// <summary>QueueTriggerBinding: QueueTrigger is omitted when the body is not valid UTF-8.</summary>
    private static string? TryUtf8(BinaryData body)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
