namespace Trackelio.Functions.Storage.Queues;

/// <summary>A received message; <see cref="PopReceipt"/> deletes or updates it.</summary>
public sealed record QueueMessage(string MessageId, string PopReceipt, string Body, long DequeueCount,
    DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn)
{
    /// <summary>
    /// The message's text as stored, when it is not the base64 of UTF-8 text that this client
    /// sends (then <see cref="Body"/> is empty): the message is poison, the rest of its batch is not.
    /// </summary>
    public string? UndecodableText { get; init; }
}

/// <summary>A message looked at without being received.</summary>
public sealed record PeekedMessage(string MessageId, string Body, long DequeueCount, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn);

/// <summary>What the service answers to a send.</summary>
public sealed record SendReceipt(string MessageId, string PopReceipt, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>What the service answers to a visibility update: the pop receipt to use from now on.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);
