using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Paging;
using Trackelio.Functions.Messenger;

namespace Trackelio.Functions.Management.Conversations;

/// <summary><c>GET /v1/conversations</c>: filters and paging.</summary>
public sealed record ConversationListQuery(ConversationQuery Filter, PageRequest Page) : IQueryRequest<ConversationListQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("status", "Only open or only resolved conversations.") { Values = ["open", "resolved"] },
        new("widget_id", "Only conversations from this widget (wdg_…)."),
        .. PageRequest.Parameters,
    ];

    public static ConversationListQuery? Read(QueryReader query, FieldReader fields)
    {
        var status = query["status"];
        if (status is not (null or "open" or "resolved"))
        {
            fields.Fail("status", "must be open or resolved");
        }
        var widgetId = query["widget_id"];
        if (widgetId is not null && !Ids.IsValid(widgetId, Ids.Widget))
        {
            fields.Fail("widget_id", "must be a widget id (wdg_…)");
        }
        var page = PageRequest.Read(query, fields);
        return new ConversationListQuery(new ConversationQuery { Status = status, WidgetId = widgetId }, page);
    }
}

/// <summary><c>GET /v1/conversations/{id}</c>: the messages after a cursor.</summary>
public sealed record ConversationMessagesQuery(long After, int Limit) : IQueryRequest<ConversationMessagesQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("after", "The next_cursor of the previous answer: only messages after it."),
        new("limit", "Messages at most, 1 to 500 (default 500).", QueryValue.Integer),
    ];

    public static ConversationMessagesQuery? Read(QueryReader query, FieldReader fields)
    {
        if (!HistoryCursor.TryDecode(query["after"], out var after))
        {
            fields.Fail("after", "is not a cursor from this conversation");
        }
        return new ConversationMessagesQuery(after, query.Int("limit", 1, 500, 500, fields));
    }
}

/// <summary><c>POST /v1/conversations/{id}/messages</c>: a reply; <c>client_message_id</c> makes a retry one message.</summary>
public sealed record ReplyRequest : IJsonRequest<ReplyRequest>
{
    public static long MaxBytes => 64 * 1024;

    /// <summary>1 to 5,000 characters.</summary>
    public required string Body { get; init; }

    public string? ClientMessageId { get; init; }

    public static ValueTask<ReplyRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var text = fields.String(body, "body", "body", 5000, required: true);
        var clientMessageId = fields.String(body, "client_message_id", "client_message_id", 128);
        return ValueTask.FromResult(text is null ? null : new ReplyRequest { Body = text, ClientMessageId = clientMessageId });
    }
}

/// <summary><c>PATCH /v1/conversations/{id}</c>: the assignee (an active member), or null to unassign.</summary>
public sealed record AssignConversationRequest : IJsonRequest<AssignConversationRequest>
{
    public static long MaxBytes => 4 * 1024;

    /// <summary>Required: a member id, or null.</summary>
    public required string? AssignedTo { get; init; }

    public static async ValueTask<AssignConversationRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        if (!body.TryGetProperty("assigned_to", out var assigned) || assigned.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            fields.Fail("assigned_to", "is required: a member id, or null to unassign");
        }
        var assignee = assigned.ValueKind == JsonValueKind.String ? assigned.GetString() : null;
        if (assignee is not null && !await ActiveMember.IsAsync(http, assignee))
        {
            fields.Fail("assigned_to", "must be the id of an active member of this workspace");
        }
        return new AssignConversationRequest { AssignedTo = assignee };
    }
}
