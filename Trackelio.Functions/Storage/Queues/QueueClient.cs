using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage.Queues;

/// <summary>
/// One storage queue, over Azure.Core's pipeline. Immutable and thread-safe; share one
/// instance per queue. Message text travels base64-encoded, the encoding the Azure
/// Functions queue trigger expects (<c>host.json</c> sets <c>messageEncoding: base64</c>).
/// </summary>
public class QueueClient
{
    /// <summary>The service's limit for one message, after encoding.</summary>
    public const int MaxMessageBytes = 64 * 1024;

    private readonly HttpPipeline _pipeline;
    private readonly Uri _queueUri;

    /// <summary>For mocking.</summary>
    protected QueueClient()
    {
        _pipeline = null!;
        _queueUri = null!;
        Name = "";
    }

    public QueueClient(StorageConnection connection, string queueName, StorageClientOptions? options = null)
        : this(StoragePipeline.Build(connection, options ?? new StorageClientOptions(), table: false), connection.QueueEndpoint, queueName)
    {
    }

    internal QueueClient(HttpPipeline pipeline, Uri endpoint, string queueName)
    {
        _pipeline = pipeline;
        _queueUri = StoragePipeline.Append(endpoint, queueName);
        Name = queueName;
    }

    public string Name { get; }

    /// <summary>The largest message text (before encoding) that fits in one message.</summary>
    public static int MaxMessageTextBytes => MaxMessageBytes / 4 * 3;

    public virtual async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put, _queueUri);
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
    }

    /// <summary>
    /// Adds a message, invisible for <paramref name="visibilityDelay"/> and kept for
    /// <paramref name="timeToLive"/> (default 7 days; <see cref="Timeout.InfiniteTimeSpan"/> for ever).
    /// </summary>
    public virtual async Task<Response<SendReceipt>> SendMessageAsync(string messageText, TimeSpan? visibilityDelay = null,
        TimeSpan? timeToLive = null, CancellationToken cancellationToken = default)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(messageText));
        if (encoded.Length > MaxMessageBytes)
        {
            throw new ArgumentException($"The message is {encoded.Length} bytes encoded; a queue message holds at most {MaxMessageBytes}.", nameof(messageText));
        }

        var query = new List<string>();
        if (visibilityDelay is { } delay)
        {
            query.Add("visibilitytimeout=" + Seconds(delay));
        }
        if (timeToLive is { } ttl)
        {
            query.Add("messagettl=" + (ttl == Timeout.InfiniteTimeSpan ? "-1" : Seconds(ttl)));
        }

        using var message = CreateMessage(RequestMethod.Post, WithQuery(StoragePipeline.Append(_queueUri, "messages"), query));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(
            $"<QueueMessage><MessageText>{encoded}</MessageText></QueueMessage>"));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        var element = ReadMessages(response).Single();
        return Response.FromValue(new SendReceipt(
            Text(element, "MessageId"),
            Text(element, "PopReceipt"),
            Date(element, "InsertionTime"),
            Date(element, "ExpirationTime"),
            Date(element, "TimeNextVisible")), response);
    }

    /// <summary>Takes up to <paramref name="maxMessages"/> (1–32) messages, hiding them for <paramref name="visibilityTimeout"/>.</summary>
    public virtual async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(int maxMessages, TimeSpan visibilityTimeout,
        CancellationToken cancellationToken = default)
    {
        var query = new[]
        {
            "numofmessages=" + Math.Clamp(maxMessages, 1, 32).ToString(CultureInfo.InvariantCulture),
            "visibilitytimeout=" + Seconds(visibilityTimeout),
        };
        using var message = CreateMessage(RequestMethod.Get, WithQuery(StoragePipeline.Append(_queueUri, "messages"), query));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<QueueMessage> messages = ReadMessages(response).Select(e => new QueueMessage(
            Text(e, "MessageId"),
            Text(e, "PopReceipt"),
            TryDecode(Text(e, "MessageText")) ?? "",
            long.Parse(Text(e, "DequeueCount"), CultureInfo.InvariantCulture),
            Date(e, "InsertionTime"),
            Date(e, "ExpirationTime"),
            Date(e, "TimeNextVisible"))
        {
            UndecodableText = TryDecode(Text(e, "MessageText")) is null ? Text(e, "MessageText") : null,
        }).ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Looks at up to <paramref name="maxMessages"/> (1–32) visible messages without taking them.</summary>
    public virtual async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        var query = new[] { "peekonly=true", "numofmessages=" + Math.Clamp(maxMessages, 1, 32).ToString(CultureInfo.InvariantCulture) };
        using var message = CreateMessage(RequestMethod.Get, WithQuery(StoragePipeline.Append(_queueUri, "messages"), query));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<PeekedMessage> messages = ReadMessages(response).Select(e => new PeekedMessage(
            Text(e, "MessageId"),
            TryDecode(Text(e, "MessageText")) ?? Text(e, "MessageText"),
            long.Parse(Text(e, "DequeueCount"), CultureInfo.InvariantCulture),
            Date(e, "InsertionTime"),
            Date(e, "ExpirationTime"))).ToList();
        return Response.FromValue(messages, response);
    }

    /// <summary>Deletes a received message. A message already gone is not an error.</summary>
    public virtual async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete,
            WithQuery(StoragePipeline.Append(_queueUri, "messages", messageId), ["popreceipt=" + Uri.EscapeDataString(popReceipt)]));
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>Hides a received message for another <paramref name="visibilityTimeout"/> (0: visible now).</summary>
    public virtual async Task<Response<UpdateReceipt>> UpdateMessageAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout,
        CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put, WithQuery(StoragePipeline.Append(_queueUri, "messages", messageId),
            ["popreceipt=" + Uri.EscapeDataString(popReceipt), "visibilitytimeout=" + Seconds(visibilityTimeout)]));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue("x-ms-popreceipt", out var receipt);
        response.Headers.TryGetValue("x-ms-time-next-visible", out var next);
        return Response.FromValue(new UpdateReceipt(receipt ?? popReceipt,
            next is null ? DateTimeOffset.UtcNow + visibilityTimeout : DateTimeOffset.Parse(next, CultureInfo.InvariantCulture)), response);
    }

    /// <summary>The service's approximate count of messages in the queue.</summary>
    public virtual async Task<long> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, WithQuery(_queueUri, ["comp=metadata"]));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        return response.Headers.TryGetValue("x-ms-approximate-messages-count", out var count)
            ? long.Parse(count, CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Deletes every message in the queue.</summary>
    public virtual async Task ClearMessagesAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, StoragePipeline.Append(_queueUri, "messages"));
        await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri) =>
        StoragePipeline.CreateMessage(_pipeline, method, uri, StoragePipeline.BlobQueueVersion);

    private static IEnumerable<XElement> ReadMessages(Response response) =>
        XDocument.Load(response.ContentStream!).Root?.Elements("QueueMessage") ?? [];

    private static string Text(XElement element, string name) => element.Element(name)?.Value ?? "";

    private static DateTimeOffset Date(XElement element, string name) =>
        DateTimeOffset.Parse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>The text, or null when the message is not base64 of valid UTF-8 (one bad message must not fail its whole batch).</summary>
    private static string? TryDecode(string base64)
    {
        var bytes = new byte[base64.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(base64, bytes, out var length))
        {
            return null;
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan span) => ((long)Math.Max(0, span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static Uri WithQuery(Uri uri, IEnumerable<string> query) => new UriBuilder(uri) { Query = string.Join('&', query) }.Uri;
}
