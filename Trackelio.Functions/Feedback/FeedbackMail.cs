using Trackelio.Functions.Mail;

namespace Trackelio.Functions.Feedback;

/// <summary>The mails feedback causes: new feedback to members who asked for each one, and an assignment to its assignee.</summary>
public static class FeedbackMail
{
    /// <summary>A feedback entry as mails show it: title (or the start of its text), an excerpt, its type and page.</summary>
    public static MailContent.Feedback Content(FeedbackRecord record) => new(
        record.Id,
        MailContent.Cut(record.Title, MailContent.MaxTitle),
        MailContent.Cut(record.Body, MailContent.MaxExcerpt),
        record.ItemType,
        record.Page?.Url);

    /// <summary>To every active member whose preference is instant (but <paramref name="actorUserId"/>, who made it).</summary>
    public static MailIntent New(FeedbackRecord record, string? actorUserId = null) =>
        MailIntent.Create(record.WorkspaceId, MailKind.NewFeedback, record.Id, record.CreatedAt, MailAudience.NewFeedbackInstant,
            new MailContent.NewFeedback(Content(record))) with { ActorUserId = actorUserId };

    /// <summary>To the new assignee, unless they assigned it to themselves.</summary>
    public static MailIntent? Assigned(FeedbackRecord previous, FeedbackRecord changed, string actorUserId, string actorName)
    {
        if (changed.AssignedTo is not { } assignee || assignee == previous.AssignedTo || assignee == actorUserId)
        {
            return null;
        }
        return MailIntent.Create(changed.WorkspaceId, MailKind.FeedbackAssigned, $"{changed.Id}@{changed.UpdatedAt.UtcTicks}", changed.UpdatedAt,
            MailAudience.Members, new MailContent.FeedbackAssigned(Content(changed), actorName)) with { UserIds = [assignee], ActorUserId = actorUserId };
    }
}
