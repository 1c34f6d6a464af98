using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Conversations;

public sealed record ConversationDetail(ConversationView Conversation, IReadOnlyList<ChatMessage> Messages, string NextCursor);

/// <summary>
/// <c>/v1/conversations</c>: the team's side of the messenger — list (status, widget, paging),
/// read one with its messages, reply as the key's member, close, reopen, assign.
/// </summary>
[ApiKeyAuth]
[Tags("Conversations")]
public static class ConversationsApi
{

    [Function("ListConversations")]
    [EndpointSummary("List conversations")]
    public static async Task<ApiResponse<IReadOnlyList<ConversationView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/conversations")] HttpRequest req, Query<ConversationListQuery> request, CurrentMember member, ConversationStore store, CancellationToken cancellationToken)
    {
        var (query, page) = request.Value;
        var after = page.After ?? (page.Page > 1 ? await store.SkipAsync(member.WorkspaceId, query, (page.Page - 1) * page.Limit, cancellationToken) : null);
        var (conversations, next) = after is null && page.Page > 1 ? ([], null) : await store.ListAsync(member.WorkspaceId, query with { After = after }, page.Limit, cancellationToken);
        var total = await store.CountAsync(member.WorkspaceId, query, cancellationToken);
        return ApiResults.Page(conversations.Select(MessengerService.Public).ToList(), page.Page, page.Limit, total, page.Links(next));
    }

    [Function("GetConversation")]
    [EndpointSummary("A conversation with its messages")]
    public static async Task<Results<ApiResponse<ConversationDetail>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/conversations/{id}")] HttpRequest req, string id, Query<ConversationMessagesQuery> request, CurrentMember member, ConversationStore store, CancellationToken cancellationToken)
    {
        var (after, limit) = request.Value;
        if (await FindAsync(id, member, store, cancellationToken) is not { } conversation)
        {
            return NotFound();
        }
        var messages = await store.MessagesAsync(member.WorkspaceId, id, after, limit, cancellationToken);
        return ApiResults.Ok(new ConversationDetail(MessengerService.Public(conversation), messages,
            HistoryCursor.Encode(messages.Count > 0 ? messages[^1].Sequence : after)));
    }

    [Function("ReplyToConversation")]
    [EndpointSummary("Reply as the key's team member")]
    public static async Task<Results<ApiCreated<ChatMessage>, ApiError>> Reply([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/conversations/{id}/messages")] HttpRequest req, string id, Body<ReplyRequest> request, CurrentMember member, MessengerService messenger, ConversationStore store,
        CancellationToken cancellationToken)
    {
        var reply = request.Value;
        if (await FindAsync(id, member, store, cancellationToken) is null)
        {
            return NotFound();
        }
        var (outcome, message) = await messenger.SendAsync(member.WorkspaceId, id, TeamAuthor(member), reply.Body, [], reply.ClientMessageId, cancellationToken);
        return outcome switch
        {
            SendOutcome.Sent or SendOutcome.Duplicate => ApiResults.Created($"/v1/conversations/{id}", message!),
            SendOutcome.Ended => ApiError.Conflict("conversation_ended", "The conversation is resolved; reopen it to reply."),
            SendOutcome.Conflict => Conflict(),
            _ => NotFound(),
        };
    }

    [Function("CloseConversation")]
    [EndpointSummary("Mark a conversation resolved")]
    public static async Task<Results<ApiResponse<ConversationView>, ApiError>> Close([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/conversations/{id}/close")] HttpRequest req, string id, CurrentMember member, MessengerService messenger, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) ? Answer(await messenger.EndAsync(member.WorkspaceId, id, TeamAuthor(member), cancellationToken)) : NotFound();

    [Function("ReopenConversation")]
    [EndpointSummary("Open a resolved conversation again")]
    public static async Task<Results<ApiResponse<ConversationView>, ApiError>> Reopen([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/conversations/{id}/reopen")] HttpRequest req, string id, CurrentMember member, MessengerService messenger, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) ? Answer(await messenger.ReopenAsync(member.WorkspaceId, id, TeamAuthor(member), cancellationToken)) : NotFound();

    [Function("UpdateConversation")]
    [EndpointSummary("Assign a conversation")]
    public static async Task<Results<ApiResponse<ConversationView>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/conversations/{id}")] HttpRequest req, string id, Body<AssignConversationRequest> request, CurrentMember member, MessengerService messenger,
        CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) ? Answer(await messenger.AssignAsync(member.WorkspaceId, id, request.Value.AssignedTo, cancellationToken)) : NotFound();

    private static Results<ApiResponse<ConversationView>, ApiError> Answer(UpdateOutcome<Conversation> outcome) => outcome switch
    {
        { Status: UpdateStatus.Conflict } => Conflict(),
        { Status: not UpdateStatus.NotFound, Value: { } conversation } => ApiResults.Ok(MessengerService.Public(conversation)),
        _ => NotFound(),
    };

    private static Author TeamAuthor(CurrentMember member) => new("team", member.UserId, member.Key.Member.Name ?? member.Key.Member.Email.Split('@')[0]);

    private static async Task<Conversation?> FindAsync(string id, CurrentMember member, ConversationStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Conversation) ? (await store.GetAsync(member.WorkspaceId, id, cancellationToken))?.Value : null;

    private static ApiError NotFound() => ApiError.NotFound("No conversation with that id.");

    private static ApiError Conflict() => ApiError.Conflict("conflict", "The conversation kept changing while we applied this; try again.");
}
