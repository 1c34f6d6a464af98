using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Widget.Modules;

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
[ProjectKeyAuth]
[Tags("Widget API")]
public static class MessengerEndpoints
{
    public const string TokenHeader = "X-Visitor-Token";
    public const int MaxBody = 5000;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(20);

    [Function("WidgetMessengerStart")]
    [EndpointSummary("Start a conversation")]
    [StartLimited]
    [WidgetModule(WidgetModule.Messenger)]
    public static async Task<ApiCreated<ConversationStarted>> Start([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/messenger/start")] HttpRequest req, Body<StartConversationRequest> request, CurrentWidget current, MessengerService messenger, CancellationToken cancellationToken)
    {
        var start = request.Value;
        var widget = current.Widget;
        var (conversation, token, messages) = await messenger.StartAsync(widget.WorkspaceId, widget.Id, start.Submitter?.VerifiedFor(widget), start.Page, start.Message,
            cancellationToken);
        return ApiResults.Created($"/v1/widget/messenger/history?conversation_id={conversation.Id}",
            new ConversationStarted(conversation.Id, token, conversation.Status, messages));
    }

    [Function("WidgetMessengerMessage")]
    [EndpointSummary("Send a message")]
    [ErrorResponses(StatusCodes.Status409Conflict)]
    public static async Task<Results<ApiCreated<ChatMessage>, ApiError>> Message(Body<SendMessageRequest> request, [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/messenger/message")] HttpRequest httpRequest, CurrentWidget current, MessengerService messenger, ConversationStore store,
        IAttachmentStore attachments, CancellationToken cancellationToken)
    {
        var message = request.Value;
        if (await AuthorizeAsync(httpRequest, current, store, message.ConversationId, cancellationToken) is { } denied)
        {
            return denied;
        }

        // Which uploads exist is known once the conversation is this visitor's.
        var fields = new FieldReader();
        var found = new List<AttachmentRef>();
        foreach (var (id, index) in message.AttachmentIds.Select((id, index) => (id, index)))
        {
            var attachment = Ids.IsValid(id, Ids.Attachment) ? await attachments.GetAsync(current.WorkspaceId, id, cancellationToken) : null;
            if (attachment is null || attachment.WidgetId != current.WidgetId)
            {
                fields.Fail($"attachment_ids[{index}]", "must be an upload of this project (from /v1/widget/upload)");
            }
            else
            {
                found.Add(new AttachmentRef(attachment.Id, attachment.Kind, attachment.ContentType, attachment.Size));
            }
        }
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        foreach (var attachment in found)
        {
            await attachments.MarkAttachedAsync(current.WorkspaceId, attachment.Id, cancellationToken);
        }

        var (outcome, sent) = await messenger.SendAsync(current.WorkspaceId, message.ConversationId, Author.Visitor, message.Body, found, message.ClientMessageId, cancellationToken);
        return outcome switch
        {
            SendOutcome.Sent or SendOutcome.Duplicate => ApiResults.Created($"/v1/widget/messenger/history?conversation_id={message.ConversationId}", sent!),
            SendOutcome.Ended => ApiError.Conflict("conversation_ended", "The conversation has ended; start a new one."),
            SendOutcome.Conflict => Conflict(),
            _ => NotFound(),
        };
    }

    [Function("WidgetMessengerHistory")]
    [WaitsUpTo(20)]
    [EndpointSummary("Messages after a cursor (wait up to 20 s for new ones)")]
    public static async Task<Results<ApiResponse<History>, ApiError>> GetHistory([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "v1/widget/messenger/history")] HttpRequest req, Query<HistoryQuery> request, HttpContext http, CurrentWidget current, MessengerService messenger, ConversationStore store,
        CancellationToken cancellationToken)
    {
        var (conversationId, after, limit, wait) = request.Value;
        if (await AuthorizeAsync(http.Request, current, store, conversationId, cancellationToken) is { } denied)
        {
            return denied;
        }

        var messages = await messenger.HistoryAsync(current.WorkspaceId, conversationId, after, limit, TimeSpan.FromSeconds(wait), cancellationToken);
        var status = (await store.GetAsync(current.WorkspaceId, conversationId, cancellationToken))?.Value.Status ?? "resolved";
        http.Response.Headers.CacheControl = "no-store";
        return ApiResults.Ok(new History(conversationId, status, messages, HistoryCursor.Encode(messages.Count > 0 ? messages[^1].Sequence : after)));
    }

    [Function("WidgetMessengerEnd")]
    [EndpointSummary("End the conversation")]
    public static async Task<Results<ApiResponse<ConversationEnded>, ApiError>> End(Body<EndConversationRequest> request, [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/messenger/end")] HttpRequest httpRequest, CurrentWidget current, MessengerService messenger, ConversationStore store,
        CancellationToken cancellationToken)
    {
        var conversationId = request.Value.ConversationId;
        if (await AuthorizeAsync(httpRequest, current, store, conversationId, cancellationToken) is { } denied)
        {
            return denied;
        }
        return await messenger.EndAsync(current.WorkspaceId, conversationId, Author.Visitor, cancellationToken) switch
        {
            { Status: UpdateStatus.Conflict } => Conflict(),
            { Status: not UpdateStatus.NotFound, Value: { } ended } => ApiResults.Ok(new ConversationEnded(ended.Id, ended.Status)),
            _ => NotFound(),
        };
    }

    /// <summary>404 unless the conversation is this widget's; then 403 unless the request carries its visitor token.</summary>
    private static async Task<ApiError?> AuthorizeAsync(HttpRequest request, CurrentWidget current, ConversationStore store, string conversationId, CancellationToken cancellationToken)
    {
        var conversation = Ids.IsValid(conversationId, Ids.Conversation)
            ? (await store.GetAsync(current.WorkspaceId, conversationId, cancellationToken))?.Value
            : null;
        if (conversation is null || conversation.WidgetId != current.WidgetId)
        {
            return NotFound();
        }
        var token = request.Headers[TokenHeader].ToString();
        if (token.Length == 0)
        {
            return ApiError.Forbidden("visitor_token_required", $"Send the conversation's visitor token in {TokenHeader}.");
        }
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Secrets.Hash(token)), Encoding.ASCII.GetBytes(conversation.VisitorTokenHash))
            ? null
            : ApiError.Forbidden("invalid_visitor_token", "The visitor token does not belong to this conversation.");
    }

    private static ApiError NotFound() => ApiError.NotFound("No conversation with that id for this widget.");

    private static ApiError Conflict() => ApiError.Conflict("conflict", "The conversation kept changing while we applied this; try again.");
}
