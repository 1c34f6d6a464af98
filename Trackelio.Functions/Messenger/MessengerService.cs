using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Messenger;

/// <summary>Who writes: the <c>visitor</c>, a <c>team</c> member (id and display name) or the <c>system</c>.</summary>
public sealed record Author(string Kind, string? Id = null, string? Name = null)
{
    public static readonly Author Visitor = new("visitor");
}

/// <summary>How sending went.</summary>
public enum SendOutcome
{
    Sent,
    Duplicate,
    Ended,
    NotFound,

    /// <summary>Others kept writing to the conversation; nothing was added.</summary>
    Conflict,
}

/// <summary>
/// The conversation operations both sides use: start, send, end, reopen, read history (with
/// long polling). Every message is numbered in acceptance order by <see cref="ConversationStore"/>;
/// its id's time part never goes backwards within a conversation, so ids sort in that order too.
/// Their events (<c>conversation.started</c>, <c>message.created</c>, <c>conversation.ended</c>) are
/// stored with the change that makes them (<see cref="EventOutbox"/>): never lost, delivered once.
/// </summary>
public sealed class MessengerService(ConversationStore store, ConversationSignals signals, TimeProvider time)
{
    /// <summary>How often a waiting history request reads storage for messages other instances accepted.</summary>
    public static readonly TimeSpan CrossInstanceCheck = TimeSpan.FromSeconds(1);

    public const string TokenPrefix = "vt_";

    public async Task<(Conversation Conversation, string VisitorToken, IReadOnlyList<ChatMessage> Messages)> StartAsync(
        string workspaceId, string widgetId, Submitter? submitter, PageInfo? page, string? firstMessage, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = Secrets.New(TokenPrefix);
        var conversation = new Conversation
        {
            Id = Ids.New(Ids.Conversation, now),
            WorkspaceId = workspaceId,
            WidgetId = widgetId,
            VisitorTokenHash = Secrets.Hash(token),
            Submitter = submitter,
            Page = page,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var messages = new List<ChatMessage>();
        if (firstMessage is not null)
        {
            messages.Add(NewMessage(conversation, 1, now, Author.Visitor, firstMessage, [], null));
            conversation = conversation with { LastSequence = 1, LastMessageAt = now };
        }
        await store.CreateAsync(conversation, messages,
            [new DomainEvent(workspaceId, WebhookEvents.ConversationStarted, conversation.Id, conversation.CreatedAt, Public(conversation)), .. messages.Select(m => Created(workspaceId, m))],
            cancellationToken);
        return (conversation, token, messages);
    }

    /// <summary>Adds a message; a retry with the same client id gets the first message back, never a second copy.</summary>
    public async Task<(SendOutcome Outcome, ChatMessage? Message)> SendAsync(string workspaceId, string conversationId, Author author, string body,
        IReadOnlyList<AttachmentRef> attachments, string? clientMessageId, CancellationToken cancellationToken)
    {
        if (clientMessageId is not null && await store.FindByClientIdAsync(workspaceId, conversationId, clientMessageId, cancellationToken) is { } earlier)
        {
            return (SendOutcome.Duplicate, earlier);
        }
        ChatMessage? message = null;
        UpdateOutcome<Conversation> outcome;
        try
        {
            outcome = await store.ChangeAsync(workspaceId, conversationId, conversation =>
            {
                if (conversation.Status != "open")
                {
                    return null;
                }
                (conversation, message) = Append(conversation, author, body, attachments, clientMessageId);
                return new ConversationChange(conversation, [message], [Created(workspaceId, message)]);
            }, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && clientMessageId is not null)
        {
            // The same message, sent again while the first was being written: that one is the answer.
            return await store.FindByClientIdAsync(workspaceId, conversationId, clientMessageId, cancellationToken) is { } concurrent
                ? (SendOutcome.Duplicate, concurrent)
                : throw new InvalidOperationException("A client message id was taken, but its message is not there.", ex);
        }
        switch (outcome.Status)
        {
            case UpdateStatus.NotFound:
                return (SendOutcome.NotFound, null);
            case UpdateStatus.Unchanged:
                return (SendOutcome.Ended, null);
            case UpdateStatus.Conflict:
                return (SendOutcome.Conflict, null);
        }
        signals.Notify(conversationId);
        return (SendOutcome.Sent, message);
    }

    /// <summary>Marks the conversation resolved with a system message saying who ended it. Ending an ended conversation changes nothing.</summary>
    public Task<UpdateOutcome<Conversation>> EndAsync(string workspaceId, string conversationId, Author by, CancellationToken cancellationToken) =>
        ChangeStatusAsync(workspaceId, conversationId, "resolved", $"Conversation ended by {Describe(by)}.", by, WebhookEvents.ConversationEnded, cancellationToken);

    public Task<UpdateOutcome<Conversation>> ReopenAsync(string workspaceId, string conversationId, Author by, CancellationToken cancellationToken) =>
        ChangeStatusAsync(workspaceId, conversationId, "open", $"Conversation reopened by {Describe(by)}.", by, null, cancellationToken);

    /// <summary>Sets who on the team handles the conversation (null: nobody).</summary>
    public Task<UpdateOutcome<Conversation>> AssignAsync(string workspaceId, string conversationId, string? assignee, CancellationToken cancellationToken) =>
        store.ChangeAsync(workspaceId, conversationId,
            conversation => new ConversationChange(conversation with { AssignedTo = assignee, UpdatedAt = time.GetUtcNow() }, []), cancellationToken);

    /// <summary>
    /// Messages after sequence <paramref name="after"/>, in order. With <paramref name="wait"/>, an
    /// empty answer is held until a message arrives or the wait ends: woken at once by messages this
    /// instance accepts, and reading storage at most once a second for the others.
    /// </summary>
    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(string workspaceId, string conversationId, long after, int limit, TimeSpan wait,
        CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var signal = signals.NextAsync(conversationId);
            var messages = await store.MessagesAsync(workspaceId, conversationId, after, limit, cancellationToken);
            var remaining = deadline - time.GetUtcNow();
            if (messages.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return messages;
            }
            await Task.WhenAny(signal, Task.Delay(remaining < CrossInstanceCheck ? remaining : CrossInstanceCheck, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static DomainEvent Created(string workspaceId, ChatMessage message) =>
        new(workspaceId, WebhookEvents.MessageCreated, message.Id, message.CreatedAt, message);

    /// <summary>The conversation without its secret.</summary>
    public static ConversationView Public(Conversation c) =>
        new(c.Id, c.WidgetId, c.Status, c.Submitter, c.Page, c.AssignedTo, c.LastSequence, c.CreatedAt, c.UpdatedAt, c.EndedAt);

    private async Task<UpdateOutcome<Conversation>> ChangeStatusAsync(string workspaceId, string conversationId, string status, string note, Author by,
        string? eventType, CancellationToken cancellationToken)
    {
        var outcome = await store.ChangeAsync(workspaceId, conversationId, conversation =>
        {
            if (conversation.Status == status)
            {
                return null;
            }
            (conversation, var message) = Append(conversation, new Author("system", by.Id, by.Name), note, [], null);
            var changed = conversation with { Status = status, EndedAt = status == "resolved" ? conversation.UpdatedAt : null };
            return new ConversationChange(changed, [message],
                eventType is null ? null : [new DomainEvent(workspaceId, eventType, message.Id, message.CreatedAt, Public(changed))]);
        }, cancellationToken);
        if (outcome.Status == UpdateStatus.Updated)
        {
            signals.Notify(conversationId);
        }
        return outcome;
    }

    private (Conversation Conversation, ChatMessage Message) Append(Conversation conversation, Author author, string body, IReadOnlyList<AttachmentRef> attachments,
        string? clientMessageId)
    {
        var now = time.GetUtcNow();
        // Never behind the previous message, whatever this instance's clock says.
        var at = conversation.LastMessageAt is { } last && last >= now ? last.AddMilliseconds(1) : now;
        var sequence = conversation.LastSequence + 1;
        var message = NewMessage(conversation, sequence, at, author, body, attachments, clientMessageId);
        return (conversation with { LastSequence = sequence, LastMessageAt = at, UpdatedAt = now }, message);
    }

    private static ChatMessage NewMessage(Conversation conversation, long sequence, DateTimeOffset at, Author author, string body,
        IReadOnlyList<AttachmentRef> attachments, string? clientMessageId) => new()
    {
        Id = Ids.New(Ids.Message, at),
        ConversationId = conversation.Id,
        Sequence = sequence,
        AuthorKind = author.Kind,
        AuthorId = author.Kind == "team" ? author.Id : null,
        AuthorName = author.Kind == "team" ? author.Name : null,
        Body = body,
        Attachments = attachments,
        ClientMessageId = clientMessageId,
        CreatedAt = at,
    };

    private static string Describe(Author by) => by.Kind switch
    {
        "visitor" => "the visitor",
        "team" => by.Name ?? "the team",
        _ => "the system",
    };
}
