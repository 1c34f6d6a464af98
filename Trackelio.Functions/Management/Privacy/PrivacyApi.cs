using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Feedback;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Privacy;

/// <summary>Everything stored about one end user.</summary>
public sealed record PrivacyExport(string? UserId, string? Email, IReadOnlyList<FeedbackExport> Feedback, IReadOnlyList<ResponseRecord> Responses,
    IReadOnlyList<ConversationExport> Conversations);

public sealed record ConversationExport(ConversationView Conversation, IReadOnlyList<ChatMessage> Messages);

public sealed record FeedbackExport(FeedbackView Feedback, FeedbackLogs? Logs);

public sealed record PrivacyErasure(string? UserId, string? Email, int FeedbackErased, int AttachmentsErased, int ResponsesErased, int ConversationsErased);

/// <summary>
/// <c>/v1/privacy</c>: export or erase everything stored about one end user of the widget,
/// found by <c>user_id</c> or e-mail (submitter or customer e-mail): feedback records, their
/// captured logs and attachments, NPS/CSAT/survey responses, and conversations with their messages. Admins only; erasing needs <c>X-Confirm: true</c> and
/// cannot be undone. Aggregate counters are kept (they hold nothing personal).
/// </summary>
[ApiKeyAuth]
[Tags("Privacy")]
[MinimumRole(TeamRole.Admin)]
public static class PrivacyApi
{

    [Function("PrivacyExport")]
    [EndpointSummary("Export everything stored about one end user")]
    public static async Task<ApiResponse<PrivacyExport>> Export([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/privacy/export")] HttpRequest req, Query<PrivacySubject> subject, CurrentMember member, IFeedbackStore feedback, IResponseStore responses, ConversationStore conversations,
        AttachmentLinks links, CancellationToken cancellationToken)
    {
        var (userId, email) = subject.Value;
        var exported = new List<FeedbackExport>();
        await foreach (var record in MatchingAsync(feedback, member.WorkspaceId, userId, email, cancellationToken))
        {
            var logs = await feedback.GetLogsAsync(member.WorkspaceId, record.Id, cancellationToken);
            exported.Add(new FeedbackExport(FeedbackView.From(record, a => links.Create(member.WorkspaceId, a)), logs));
        }
        var answers = new List<ResponseRecord>();
        await foreach (var response in MatchingResponsesAsync(responses, member.WorkspaceId, userId, email, cancellationToken))
        {
            answers.Add(response);
        }
        var chats = new List<ConversationExport>();
        await foreach (var conversation in MatchingConversationsAsync(conversations, member.WorkspaceId, userId, email, cancellationToken))
        {
            chats.Add(new ConversationExport(MessengerService.Public(conversation),
                await conversations.MessagesAsync(member.WorkspaceId, conversation.Id, 0, 100_000, cancellationToken)));
        }
        return ApiResults.Ok(new PrivacyExport(userId, email, exported, answers, chats));
    }

    [Function("PrivacyErase")]
    [EndpointSummary("Erase everything stored about one end user (needs X-Confirm: true)")]
    [HeaderParameter("X-Confirm", "Must be true: erasing cannot be undone (400 confirmation_required without it).", Required = true, Value = "true")]
    public static async Task<Results<ApiResponse<PrivacyErasure>, ApiError>> Erase(Body<PrivacySubject> subject, [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/privacy/erase")] HttpRequest request, CurrentMember member, IFeedbackStore feedback, IResponseStore responses,
        ConversationStore conversations, IAttachmentStore attachments, CancellationToken cancellationToken)
    {
        if (!string.Equals(request.Headers["X-Confirm"].ToString(), "true", StringComparison.OrdinalIgnoreCase))
        {
            return ApiError.BadRequest("confirmation_required", "Erasing cannot be undone; send the header X-Confirm: true.");
        }
        var (userId, email) = subject.Value;
        var records = new List<FeedbackRecord>();
        await foreach (var record in MatchingAsync(feedback, member.WorkspaceId, userId, email, cancellationToken))
        {
            records.Add(record);
        }
        var attachmentCount = 0;
        foreach (var record in records)
        {
            foreach (var attachment in record.Attachments)
            {
                await attachments.DeleteAsync(member.WorkspaceId, attachment.Id, cancellationToken);
                attachmentCount++;
            }
            await feedback.EraseAsync(member.WorkspaceId, record.Id, cancellationToken);
        }
        var answers = new List<ResponseRecord>();
        await foreach (var response in MatchingResponsesAsync(responses, member.WorkspaceId, userId, email, cancellationToken))
        {
            answers.Add(response);
        }
        foreach (var response in answers)
        {
            await responses.EraseAsync(member.WorkspaceId, response.Id, cancellationToken);
        }
        var chats = new List<Conversation>();
        await foreach (var conversation in MatchingConversationsAsync(conversations, member.WorkspaceId, userId, email, cancellationToken))
        {
            chats.Add(conversation);
        }
        foreach (var conversation in chats)
        {
            foreach (var message in await conversations.MessagesAsync(member.WorkspaceId, conversation.Id, 0, 100_000, cancellationToken))
            {
                foreach (var attachment in message.Attachments)
                {
                    await attachments.DeleteAsync(member.WorkspaceId, attachment.Id, cancellationToken);
                    attachmentCount++;
                }
            }
            await conversations.EraseAsync(member.WorkspaceId, conversation.Id, cancellationToken);
        }
        return ApiResults.Ok(new PrivacyErasure(userId, email, records.Count, attachmentCount, answers.Count, chats.Count));
    }

    private static async IAsyncEnumerable<Conversation> MatchingConversationsAsync(ConversationStore conversations, string workspaceId, string? userId, string? email,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var conversation in conversations.ScanAsync(workspaceId, cancellationToken))
        {
            if ((userId is not null && conversation.Submitter?.UserId == userId)
                || (email is not null && string.Equals(conversation.Submitter?.Email, email, StringComparison.OrdinalIgnoreCase)))
            {
                yield return conversation;
            }
        }
    }

    private static async IAsyncEnumerable<ResponseRecord> MatchingResponsesAsync(IResponseStore responses, string workspaceId, string? userId, string? email,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var response in responses.ScanAsync(workspaceId, new ResponseQuery(), cancellationToken))
        {
            if ((userId is not null && response.Submitter?.UserId == userId)
                || (email is not null && string.Equals(response.Submitter?.Email, email, StringComparison.OrdinalIgnoreCase)))
            {
                yield return response;
            }
        }
    }

    /// <summary>Every record (also soft-deleted ones) whose submitter or customer is the end user.</summary>
    private static async IAsyncEnumerable<FeedbackRecord> MatchingAsync(IFeedbackStore feedback, string workspaceId, string? userId, string? email,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in feedback.ScanAsync(workspaceId, new FeedbackQuery { IncludeDeleted = true }, cancellationToken))
        {
            var matches = (userId is not null && record.Submitter?.UserId == userId)
                || (email is not null && (string.Equals(record.Submitter?.Email, email, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(record.CustomerEmail, email, StringComparison.OrdinalIgnoreCase)));
            if (matches)
            {
                yield return record;
            }
        }
    }
}
