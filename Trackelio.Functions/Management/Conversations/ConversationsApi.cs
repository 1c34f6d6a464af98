using System.Globalization;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Paging;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Conversations;

public sealed record ConversationDetail(ConversationView Conversation, IReadOnlyList<ChatMessage> Messages, string NextCursor);

/// <summary>
/// <c>/v1/conversations</c>: the team's side of the messenger — list (status, widget, paging),
/// read one with its messages, reply as the key's member, close, reopen, assign.
/// </summary>
public static class ConversationsApi
{
    public static RouteGroupBuilder MapConversationsApi(this RouteGroupBuilder v1)
    {
        var conversations = v1.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapGet("", List).WithName("ListConversations").Produces<Envelope<IReadOnlyList<ConversationView>>>().WithSummary("List conversations");
        conversations.MapGet("/{id}", Get).WithName("GetConversation").Produces<Envelope<ConversationDetail>>().WithSummary("A conversation with its messages");
        conversations.MapPatch("/{id}", Update).WithName("UpdateConversation").Produces<Envelope<ConversationView>>().WithSummary("Assign a conversation");
        conversations.MapPost("/{id}/messages", Reply).WithName("ReplyToConversation").Produces<Envelope<ChatMessage>>(StatusCodes.Status201Created).WithSummary("Reply as the key's team member");
        conversations.MapPost("/{id}/close", Close).WithName("CloseConversation").Produces<Envelope<ConversationView>>().WithSummary("Mark a conversation resolved");
        conversations.MapPost("/{id}/reopen", Reopen).WithName("ReopenConversation").Produces<Envelope<ConversationView>>().WithSummary("Open a resolved conversation again");
        return conversations;
    }

    public static async Task<IResult> List(HttpRequest request, CurrentMember member, ConversationStore store, CancellationToken cancellationToken)
    {
        var fields = new FieldReader();
        var status = request.Query["status"].ToString() is { Length: > 0 } s ? s : null;
        if (status is not (null or "open" or "resolved"))
        {
            fields.Fail("status", "must be open or resolved");
        }
        var widgetId = request.Query["widget_id"].ToString() is { Length: > 0 } w ? w : null;
        if (widgetId is not null && !Ids.IsValid(widgetId, Ids.Widget))
        {
            fields.Fail("widget_id", "must be a widget id (wdg_…)");
        }
        var fingerprint = PageRequest.Fingerprint(request);
        var page = PageRequest.Read(request, fingerprint, fields);
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        var query = new ConversationQuery { Status = status, WidgetId = widgetId };
        var after = page.After ?? (page.Page > 1 ? await store.SkipAsync(member.WorkspaceId, query, (page.Page - 1) * page.Limit, cancellationToken) : null);
        var (conversations, next) = after is null && page.Page > 1 ? ([], null) : await store.ListAsync(member.WorkspaceId, query with { After = after }, page.Limit, cancellationToken);
        var total = await store.CountAsync(member.WorkspaceId, query, cancellationToken);
        return ApiResults.Page(conversations.Select(MessengerService.Public).ToList(), page.Page, page.Limit, total, PageRequest.Links(request, page, next, fingerprint));
    }

    public static async Task<IResult> Get(string id, HttpRequest request, CurrentMember member, ConversationStore store, CancellationToken cancellationToken)
    {
        if (!HistoryCursor.TryDecode(request.Query["after"].ToString(), out var after))
        {
            return ApiError.Validation([new FieldError("after", "is not a cursor from this conversation")]);
        }
        var limit = 500;
        if (request.Query["limit"].ToString() is { Length: > 0 } l && !(int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= 500))
        {
            return ApiError.Validation([new FieldError("limit", "must be an integer from 1 to 500")]);
        }
        if (await FindAsync(id, member, store, cancellationToken) is not { } conversation)
        {
            return NotFound();
        }
        var messages = await store.MessagesAsync(member.WorkspaceId, id, after, limit, cancellationToken);
        return ApiResults.Ok(new ConversationDetail(MessengerService.Public(conversation), messages,
            HistoryCursor.Encode(messages.Count > 0 ? messages[^1].Sequence : after)));
    }

    public static async Task<IResult> Reply(string id, HttpRequest request, CurrentMember member, MessengerService messenger, ConversationStore store,
        CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(request, 64 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var fields = new FieldReader();
            var body = fields.String(document!.RootElement, "body", "body", 5000, required: true);
            var clientMessageId = fields.String(document.RootElement, "client_message_id", "client_message_id", 128);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            if (await FindAsync(id, member, store, cancellationToken) is null)
            {
                return NotFound();
            }
            var author = new Author("team", member.UserId, member.Key.Member.Name ?? member.Key.Member.Email.Split('@')[0]);
            var (outcome, message) = await messenger.SendAsync(member.WorkspaceId, id, author, body!, [], clientMessageId, cancellationToken);
            return outcome switch
            {
                SendOutcome.Sent or SendOutcome.Duplicate => ApiResults.Created($"/v1/conversations/{id}", message!),
                SendOutcome.Ended => ApiError.Conflict("conversation_ended", "The conversation is resolved; reopen it to reply."),
                _ => NotFound(),
            };
        }
    }

    public static async Task<IResult> Close(string id, CurrentMember member, MessengerService messenger, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) && await messenger.EndAsync(member.WorkspaceId, id, TeamAuthor(member), cancellationToken) is { } closed
            ? ApiResults.Ok(MessengerService.Public(closed))
            : NotFound();

    public static async Task<IResult> Reopen(string id, CurrentMember member, MessengerService messenger, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) && await messenger.ReopenAsync(member.WorkspaceId, id, TeamAuthor(member), cancellationToken) is { } reopened
            ? ApiResults.Ok(MessengerService.Public(reopened))
            : NotFound();

    public static async Task<IResult> Update(string id, HttpRequest request, CurrentMember member, MessengerService messenger, ITeamStore team,
        CancellationToken cancellationToken)
    {
        var (document, error) = await JsonBody.ReadAsync(request, 4 * 1024, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var fields = new FieldReader();
            var body = document!.RootElement;
            if (!body.TryGetProperty("assigned_to", out var assigned) || assigned.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                fields.Fail("assigned_to", "is required: a member id, or null to unassign");
            }
            var assignee = assigned.ValueKind == JsonValueKind.String ? assigned.GetString() : null;
            if (assignee is not null && (!Ids.IsValid(assignee, Ids.User) || await team.GetAsync(member.WorkspaceId, assignee, cancellationToken) is not { Status: "active" }))
            {
                fields.Fail("assigned_to", "must be the id of an active member of this workspace");
            }
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }
            return Ids.IsValid(id, Ids.Conversation) && await messenger.AssignAsync(member.WorkspaceId, id, assignee, cancellationToken) is { } changed
                ? ApiResults.Ok(MessengerService.Public(changed))
                : NotFound();
        }
    }

    private static Author TeamAuthor(CurrentMember member) => new("team", member.UserId, member.Key.Member.Name ?? member.Key.Member.Email.Split('@')[0]);

    private static async Task<Conversation?> FindAsync(string id, CurrentMember member, ConversationStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) ? (await store.GetAsync(member.WorkspaceId, id, cancellationToken))?.Value : null;

    private static ApiError NotFound() => ApiError.NotFound("No conversation with that id.");
}
