using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Messenger;

public sealed class MessengerOptions
{
    public int StartsPerIpPerMinute { get; set; } = 10;
    public int StartsPerWidgetPerMinute { get; set; } = 300;
}

public sealed record ConversationStarted(string ConversationId, string VisitorToken, string Status, IReadOnlyList<ChatMessage> Messages);

public sealed record History(string ConversationId, string Status, IReadOnlyList<ChatMessage> Messages, string NextCursor);

public sealed record ConversationEnded(string ConversationId, string Status);

/// <summary>
/// The messenger's widget side: <c>start</c> (→ a conversation and its secret visitor token),
/// then <c>message</c>, <c>history</c> (long polling with <c>wait</c>) and <c>end</c>, each needing
/// the token in <c>X-Visitor-Token</c> (missing or wrong → 403; another project's conversation → 404).
/// </summary>
public static class MessengerEndpoints
{
    public const string TokenHeader = "X-Visitor-Token";
    public const int MaxBody = 5000;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    public static IEndpointRouteBuilder MapWidgetMessenger(this IEndpointRouteBuilder widget)
    {
        var messenger = widget.MapGroup("/messenger");
        messenger.MapPost("/start", Start).WithName("WidgetMessengerStart").WithSummary("Start a conversation")
            .AddEndpointFilter(new StartLimitFilter())
            .Produces<Envelope<ConversationStarted>>(StatusCodes.Status201Created);
        messenger.MapPost("/message", Message).WithName("WidgetMessengerMessage").WithSummary("Send a message")
            .Produces<Envelope<ChatMessage>>(StatusCodes.Status201Created)
            .WithErrorResponses(StatusCodes.Status409Conflict);
        messenger.MapGet("/history", GetHistory).WithMetadata(new WaitsUpToAttribute((int)MaxWait.TotalSeconds)).WithName("WidgetMessengerHistory").WithSummary("Messages after a cursor (wait up to 20 s for new ones)")
            .Produces<Envelope<History>>();
        messenger.MapPost("/end", End).WithName("WidgetMessengerEnd").WithSummary("End the conversation")
            .Produces<Envelope<ConversationEnded>>();
        return widget;
    }

    public static async Task<IResult> Start(HttpContext http, CurrentWidget current, MessengerService messenger, CancellationToken cancellationToken)
    {
        var widget = current.Widget;
        if (!widget.Config.Modules.Messenger.Enabled)
        {
            return ApiError.Forbidden("module_disabled", "The messenger is not enabled for this widget.");
        }
        var (document, error) = await JsonBody.ReadAsync(http.Request, 32 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var body = document!.RootElement;
            var fields = new FieldReader();
            var first = ReadBody(body, "message", fields, required: false);
            var submitter = VisitorFields.ReadSubmitter(body, widget, fields);
            var page = VisitorFields.ReadPage(body, fields);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            var (conversation, token, messages) = await messenger.StartAsync(widget.WorkspaceId, widget.Id, submitter, page, first, cancellationToken);
            return ApiResults.Created($"/v1/widget/messenger/history?conversation_id={conversation.Id}",
                new ConversationStarted(conversation.Id, token, conversation.Status, messages));
        }
    }

    public static async Task<IResult> Message(HttpContext http, CurrentWidget current, MessengerService messenger, ConversationStore store,
        IAttachmentStore attachments, CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, 64 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var body = document!.RootElement;
            var fields = new FieldReader();
            var conversationId = fields.String(body, "conversation_id", "conversation_id", 64, required: true);
            var text = ReadBody(body, "body", fields, required: true);
            var clientMessageId = fields.String(body, "client_message_id", "client_message_id", 128);
            var attachmentIds = fields.Array(body, "attachment_ids", "attachment_ids", 10);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            if (await AuthorizeAsync(http, current, store, conversationId!, cancellationToken) is { } denied)
            {
                return denied;
            }

            var found = new List<AttachmentRef>();
            var index = 0;
            foreach (var item in attachmentIds?.EnumerateArray() ?? default)
            {
                var id = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
                var attachment = Ids.IsValid(id, Ids.Attachment) ? await attachments.GetAsync(current.WorkspaceId, id!, cancellationToken) : null;
                if (attachment is null || attachment.WidgetId != current.WidgetId)
                {
                    fields.Fail($"attachment_ids[{index}]", "must be an upload of this project (from /v1/widget/upload)");
                }
                else
                {
                    found.Add(new AttachmentRef(attachment.Id, attachment.Kind, attachment.ContentType, attachment.Size));
                }
                index++;
            }
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            foreach (var attachment in found)
            {
                await attachments.MarkAttachedAsync(current.WorkspaceId, attachment.Id, cancellationToken);
            }

            var (outcome, message) = await messenger.SendAsync(current.WorkspaceId, conversationId!, Author.Visitor, text!, found, clientMessageId, cancellationToken);
            return outcome switch
            {
                SendOutcome.Sent or SendOutcome.Duplicate => ApiResults.Created($"/v1/widget/messenger/history?conversation_id={conversationId}", message!),
                SendOutcome.Ended => ApiError.Conflict("conversation_ended", "The conversation has ended; start a new one."),
                _ => NotFound(),
            };
        }
    }

    public static async Task<IResult> GetHistory(HttpContext http, CurrentWidget current, MessengerService messenger, ConversationStore store,
        CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var fields = new FieldReader();
        var conversationId = query["conversation_id"].ToString();
        if (conversationId.Length == 0)
        {
            fields.Fail("conversation_id", "is required");
        }
        if (!HistoryCursor.TryDecode(query["after"].ToString(), out var after))
        {
            fields.Fail("after", "is not a cursor from this conversation's history");
        }
        var limit = 50;
        if (query["limit"].ToString() is { Length: > 0 } l && !(int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 100))
        {
            fields.Fail("limit", "must be an integer from 1 to 100");
        }
        var wait = 0;
        if (query["wait"].ToString() is { Length: > 0 } w && !(int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out wait) && wait <= MaxWait.TotalSeconds))
        {
            fields.Fail("wait", $"must be whole seconds from 0 to {MaxWait.TotalSeconds}");
        }
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        if (await AuthorizeAsync(http, current, store, conversationId, cancellationToken) is { } denied)
        {
            return denied;
        }

        var messages = await messenger.HistoryAsync(current.WorkspaceId, conversationId, after, limit, TimeSpan.FromSeconds(wait), cancellationToken);
        var status = (await store.GetAsync(current.WorkspaceId, conversationId, cancellationToken))?.Value.Status ?? "resolved";
        http.Response.Headers.CacheControl = "no-store";
        return ApiResults.Ok(new History(conversationId, status, messages, HistoryCursor.Encode(messages.Count > 0 ? messages[^1].Sequence : after)));
    }

    public static async Task<IResult> End(HttpContext http, CurrentWidget current, MessengerService messenger, ConversationStore store, CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(http.Request, 4 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var fields = new FieldReader();
            var conversationId = fields.String(document!.RootElement, "conversation_id", "conversation_id", 64, required: true);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            if (await AuthorizeAsync(http, current, store, conversationId!, cancellationToken) is { } denied)
            {
                return denied;
            }
            var ended = await messenger.EndAsync(current.WorkspaceId, conversationId!, Author.Visitor, cancellationToken);
            return ended is null ? NotFound() : ApiResults.Ok(new ConversationEnded(ended.Id, ended.Status));
        }
    }

    /// <summary>404 unless the conversation is this widget's; then 403 unless the request carries its visitor token.</summary>
    private static async Task<ApiError?> AuthorizeAsync(HttpContext http, CurrentWidget current, ConversationStore store, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = Ids.IsValid(conversationId, Ids.Conversation)
            ? (await store.GetAsync(current.WorkspaceId, conversationId, cancellationToken))?.Value
            : null;
        if (conversation is null || conversation.WidgetId != current.WidgetId)
        {
            return NotFound();
        }
        var token = http.Request.Headers[TokenHeader].ToString();
        if (token.Length == 0)
        {
            return ApiError.Forbidden("visitor_token_required", $"Send the conversation's visitor token in {TokenHeader}.");
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Secrets.Hash(token)), Encoding.ASCII.GetBytes(conversation.VisitorTokenHash))
            ? null
            : ApiError.Forbidden("invalid_visitor_token", "The visitor token does not belong to this conversation.");
    }

    /// <summary>A message body: 1 to 5,000 characters after trimming.</summary>
    private static string? ReadBody(JsonElement body, string name, FieldReader fields, bool required) =>
        fields.String(body, name, name, MaxBody, required);

    private static ApiError NotFound() => ApiError.NotFound("No conversation with that id for this widget.");
}
