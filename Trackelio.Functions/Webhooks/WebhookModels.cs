namespace Trackelio.Functions.Webhooks;

/// <summary>The events a webhook endpoint can subscribe to.</summary>
public static class WebhookEvents
{
    public const string FeedbackCreated = "feedback.created";
    public const string FeedbackUpdated = "feedback.updated";
    public const string ResponseCreated = "response.created";
    public const string ConversationStarted = "conversation.started";
    public const string ConversationEnded = "conversation.ended";
    public const string MessageCreated = "message.created";
    public const string WidgetPaused = "widget.paused";
    public const string WidgetResumed = "widget.resumed";

    public static readonly string[] All =
        [FeedbackCreated, FeedbackUpdated, ResponseCreated, ConversationStarted, ConversationEnded, MessageCreated, WidgetPaused, WidgetResumed];
}

/// <summary>A workspace's webhook endpoint: where events go, which ones, and the secret deliveries are signed with.</summary>
public sealed record WebhookEndpoint
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Url { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary><c>whsec_</c> + base64 of 32 random bytes, as Standard Webhooks defines it.</summary>
    public required string Secret { get; init; }

    public bool Enabled { get; init; } = true;
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One event sent (or being sent) to one endpoint, with every attempt.</summary>
public sealed record WebhookDelivery
{
    /// <summary>Also the <c>webhook-id</c> header: receivers use it to drop duplicates.</summary>
    public required string Id { get; init; }

    public required string WorkspaceId { get; init; }
    public required string EndpointId { get; init; }
    public required string EventType { get; init; }

    /// <summary>The exact body sent: <c>{ "type", "timestamp", "data" }</c>.</summary>
    public required string Payload { get; init; }

    /// <summary><c>pending</c>, <c>succeeded</c>, <c>retrying</c>, <c>failed</c> (dead-lettered) or <c>cancelled</c>.</summary>
    public string Status { get; init; } = "pending";

    public IReadOnlyList<WebhookAttempt> Attempts { get; init; } = [];
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? ReplayOf { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed record WebhookAttempt(DateTimeOffset At, int? StatusCode, string? Error, double DurationMs);

/// <summary>The queue message that asks for one attempt of a delivery.</summary>
public sealed record WebhookDeliveryMessage(string WorkspaceId, string DeliveryId);
