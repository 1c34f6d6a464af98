using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Messenger;

/// <summary><c>POST /v1/widget/messenger/start</c>: an optional first message, who and where.</summary>
public sealed record StartConversationRequest : IJsonRequest<StartConversationRequest>
{
    public static long MaxBytes => 32 * 1024;

    /// <summary>At most 5,000 characters.</summary>
    public string? Message { get; init; }

    public SubmitterInput? Submitter { get; init; }
    public PageInfo? Page { get; init; }

    public static ValueTask<StartConversationRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http) =>
        ValueTask.FromResult<StartConversationRequest?>(new StartConversationRequest
        {
            Message = fields.String(body, "message", "message", MessengerEndpoints.MaxBody),
            Submitter = SubmitterInput.Read(body, fields),
            Page = VisitorFields.ReadPage(body, fields),
        });
}

/// <summary><c>POST /v1/widget/messenger/message</c>: a visitor's message; <c>client_message_id</c> makes a retry one message.</summary>
public sealed record SendMessageRequest : IJsonRequest<SendMessageRequest>
{
    public static long MaxBytes => 64 * 1024;

    public required string ConversationId { get; init; }

    /// <summary>1 to 5,000 characters.</summary>
    public required string Body { get; init; }

    public string? ClientMessageId { get; init; }

    /// <summary>Uploads of this widget (from <c>/v1/widget/upload</c>), at most 10.</summary>
    public IReadOnlyList<string> AttachmentIds { get; init; } = [];

    public static ValueTask<SendMessageRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var conversationId = fields.String(body, "conversation_id", "conversation_id", 64, required: true);
        var text = fields.String(body, "body", "body", MessengerEndpoints.MaxBody, required: true);
        var clientMessageId = fields.String(body, "client_message_id", "client_message_id", 128);
        var attachmentIds = fields.Array(body, "attachment_ids", "attachment_ids", 10)?.EnumerateArray()
            .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : "").ToList();
        return ValueTask.FromResult(conversationId is null || text is null ? null : new SendMessageRequest
        {
            ConversationId = conversationId,
            Body = text,
            ClientMessageId = clientMessageId,
            AttachmentIds = attachmentIds ?? [],
        });
    }
}

/// <summary><c>GET /v1/widget/messenger/history</c>: the conversation, the cursor, how many, and how long to wait for new ones.</summary>
public sealed record HistoryQuery(string ConversationId, long After, int Limit, int Wait) : IQueryRequest<HistoryQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("conversation_id", "The conversation (from start).", Required: true),
        new("after", "The next_cursor of the previous answer: only messages after it."),
        new("limit", "Messages at most, 1 to 100 (default 50).", QueryValue.Integer),
        new("wait", $"Seconds to wait for a new message when there is none, 0 to {(int)MessengerEndpoints.MaxWait.TotalSeconds} (default 0).", QueryValue.Integer),
    ];

    public static HistoryQuery? Read(QueryReader query, FieldReader fields)
    {
        var conversationId = query["conversation_id"];
        if (conversationId is null)
        {
            fields.Fail("conversation_id", "is required");
        }
        if (!HistoryCursor.TryDecode(query["after"], out var after))
        {
            fields.Fail("after", "is not a cursor from this conversation's history");
        }
        var limit = query.Int("limit", 1, 100, 50, fields);
        var maxWait = (int)MessengerEndpoints.MaxWait.TotalSeconds;
        var wait = query.Int("wait", 0, maxWait, 0, fields, $"must be whole seconds from 0 to {maxWait}");
        return conversationId is null ? null : new HistoryQuery(conversationId, after, limit, wait);
    }
}

/// <summary><c>POST /v1/widget/messenger/end</c>: which conversation.</summary>
public sealed record EndConversationRequest : IJsonRequest<EndConversationRequest>
{
    public static long MaxBytes => 4 * 1024;

    public required string ConversationId { get; init; }

    public static ValueTask<EndConversationRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http) =>
        ValueTask.FromResult(fields.String(body, "conversation_id", "conversation_id", 64, required: true) is { } id
            ? new EndConversationRequest { ConversationId = id }
            : null);
}
