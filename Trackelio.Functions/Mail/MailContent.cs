namespace Trackelio.Functions.Mail;

/// <summary>What each kind of mail says (the <see cref="MailIntent.Data"/> it is rendered from).</summary>
public static class MailContent
{
    /// <summary>An invitation: who invited, with which role, the token the accept link carries, and when it expires.</summary>
    public sealed record Invitation(string InviterName, string InviterEmail, string Role, string Token, DateTimeOffset ExpiresAt);

    /// <summary>A sign-in link for the dashboard: the token it carries and when it expires.</summary>
    public sealed record SignIn(string Token, DateTimeOffset ExpiresAt);

    public sealed record WidgetResumed(string WidgetId, string WidgetName, string ResumedBy);

    public sealed record FeedbackAssigned(Feedback Feedback, string AssignedBy);

    public sealed record NewFeedback(Feedback Feedback);

    /// <summary>The day's feedback (newest first, at most <see cref="MaxDigestItems"/>) and how many there were in all.</summary>
    public sealed record DailyDigest(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<Feedback> Items, int Total);

    /// <summary>A feedback entry as mails show it: its title, a short excerpt, its type and page.</summary>
    public sealed record Feedback(string Id, string? Title, string? Excerpt, string? ItemType, string? PageUrl);

    public const int MaxDigestItems = 50;
    public const int MaxExcerpt = 280;
    public const int MaxTitle = 120;

    /// <summary>Text cut to <paramref name="max"/> characters (with an ellipsis), null when empty.</summary>
    public static string? Cut(string? text, int max)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        return text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";
    }
}
