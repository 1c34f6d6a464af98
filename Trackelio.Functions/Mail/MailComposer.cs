using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Trackelio.Functions.Mail;

/// <summary>
/// Writes an <see cref="OutgoingMail"/> as a MIME message: plain text and HTML (multipart/alternative) in the
/// workspace's language, a <c>Message-ID</c> made of the mail's id (the same on every attempt), and for
/// notifications <c>List-Unsubscribe</c> + <c>List-Unsubscribe-Post</c> (RFC 8058). Whatever members or
/// visitors wrote (names, workspace and widget names, feedback) is text: control characters never reach a
/// header (they become spaces), HTML is escaped, and links are only ever the app's own addresses.
/// </summary>
public sealed class MailComposer(IOptions<MailOptions> options, UnsubscribeLinks unsubscribe)
{
    private const int MaxHeaderText = 150;

    public MimeMessage Compose(OutgoingMail mail)
    {
        var settings = options.Value;
        var texts = MailTexts.For(mail.Language);
        var body = new Body();
        body.Paragraph(mail.ToName is { Length: > 0 } name ? Format(texts.HelloNamed, OneLine(name)) : texts.Hello);
        string subject;
        (UnsubscribeTopic Topic, string Reason)? list = null;
        var workspace = OneLine(mail.WorkspaceName);

        switch (mail.Kind)
        {
            case MailKind.Invitation:
            {
                var invitation = mail.Content<MailContent.Invitation>();
                subject = Format(texts.InvitationSubject, OneLine(invitation.InviterName), workspace);
                body.Paragraph(Format(texts.InvitationIntro, OneLine(invitation.InviterName), OneLine(invitation.InviterEmail), workspace,
                    texts.Roles.GetValueOrDefault(invitation.Role, invitation.Role)));
                body.Action(texts.InvitationAction, $"{settings.AppBase}/invitation#token={Uri.EscapeDataString(invitation.Token)}");
                body.Paragraph(Format(texts.InvitationExpiry, invitation.ExpiresAt.UtcDateTime.ToString(texts.DateFormat, CultureInfo.InvariantCulture)));
                body.Paragraph(texts.InvitationIgnore);
                break;
            }
            case MailKind.SignIn:
            {
                var signIn = mail.Content<MailContent.SignIn>();
                subject = Format(texts.SignInSubject, workspace);
                body.Paragraph(Format(texts.SignInIntro, workspace));
                body.Action(texts.SignInAction, $"{settings.AppBase}/sign-in#token={Uri.EscapeDataString(signIn.Token)}");
                body.Paragraph(Format(texts.SignInExpiry, signIn.ExpiresAt.UtcDateTime.ToString(texts.DateFormat, CultureInfo.InvariantCulture)));
                body.Paragraph(texts.SignInIgnore);
                break;
            }
            case MailKind.WidgetResumed:
            {
                var resumed = mail.Content<MailContent.WidgetResumed>();
                subject = Format(texts.ResumedSubject, OneLine(resumed.WidgetName), workspace);
                body.Paragraph(Format(texts.ResumedIntro, OneLine(resumed.ResumedBy), OneLine(resumed.WidgetName), workspace));
                body.Action(texts.ResumedAction, $"{settings.AppBase}/widgets/{Uri.EscapeDataString(resumed.WidgetId)}");
                list = (UnsubscribeTopic.WidgetResumed, Format(texts.UnsubscribeResumed, workspace));
                break;
            }
            case MailKind.FeedbackAssigned:
            {
                var assigned = mail.Content<MailContent.FeedbackAssigned>();
                subject = Format(texts.AssignedSubject, Title(assigned.Feedback, texts));
                body.Paragraph(Format(texts.AssignedIntro, OneLine(assigned.AssignedBy), workspace));
                FeedbackCard(body, assigned.Feedback, texts);
                body.Action(texts.FeedbackAction, FeedbackUrl(assigned.Feedback));
                list = (UnsubscribeTopic.Assigned, Format(texts.UnsubscribeAssigned, workspace));
                break;
            }
            case MailKind.NewFeedback:
            {
                var feedback = mail.Content<MailContent.NewFeedback>().Feedback;
                subject = Format(texts.NewFeedbackSubject, workspace, Title(feedback, texts));
                body.Paragraph(Format(texts.NewFeedbackIntro, workspace));
                FeedbackCard(body, feedback, texts);
                body.Action(texts.FeedbackAction, FeedbackUrl(feedback));
                list = (UnsubscribeTopic.NewFeedback, Format(texts.UnsubscribeNewFeedback, workspace));
                break;
            }
            case MailKind.DailyDigest:
            {
                var digest = mail.Content<MailContent.DailyDigest>();
                subject = Format(texts.DigestSubject, digest.Total.ToString(CultureInfo.InvariantCulture), workspace,
                    digest.To.UtcDateTime.ToString(texts.DayFormat, CultureInfo.InvariantCulture));
                body.Paragraph(Format(texts.DigestIntro, workspace, digest.From.UtcDateTime.ToString(texts.DateFormat, CultureInfo.InvariantCulture),
                    digest.To.UtcDateTime.ToString(texts.DateFormat, CultureInfo.InvariantCulture)));
                foreach (var feedback in digest.Items)
                {
                    FeedbackCard(body, feedback, texts);
                    body.Link(texts.FeedbackAction, FeedbackUrl(feedback));
                }
                if (digest.Total > digest.Items.Count)
                {
                    body.Paragraph(Format(texts.DigestMore, (digest.Total - digest.Items.Count).ToString(CultureInfo.InvariantCulture)));
                }
                body.Action(texts.InboxAction, $"{settings.AppBase}/feedback");
                list = (UnsubscribeTopic.NewFeedback, Format(texts.UnsubscribeNewFeedback, workspace));
                break;
            }
            default:
                throw new InvalidOperationException($"Mail {mail.Id} is of an unknown kind.");
        }

        var message = new MimeMessage();
        message.From.Add(settings.Sender);
        message.To.Add(new MailboxAddress(mail.ToName is { Length: > 0 } toName ? OneLine(toName) : null, mail.To));
        message.Subject = OneLine(subject);
        message.MessageId = $"{mail.Id}@{settings.Sender.Domain}";
        message.Date = mail.CreatedAt;
        message.Headers.Add("Auto-Submitted", "auto-generated");
        if (list is { } unsubscribeFrom)
        {
            var link = unsubscribe.Create(mail.WorkspaceId, mail.UserId, unsubscribeFrom.Topic);
            message.Headers.Add("List-Unsubscribe", $"<{link}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            body.Footer(unsubscribeFrom.Reason, texts.UnsubscribeAction, link);
        }
        message.Body = new BodyBuilder { TextBody = body.Text(), HtmlBody = body.Html(mail.Language) }.ToMessageBody();
        return message;

        string FeedbackUrl(MailContent.Feedback feedback) => $"{settings.AppBase}/feedback/{Uri.EscapeDataString(feedback.Id)}";
    }

    /// <summary>
    /// Text for one line: every control character (CR, LF, tab, …) a space, runs of spaces one, format characters
    /// (bidi overrides, zero-width) dropped, at most 150 characters.
    /// </summary>
    public static string OneLine(string text)
    {
        var line = new StringBuilder(Math.Min(text.Length, MaxHeaderText + 1));
        foreach (var c in text)
        {
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                continue; // bidi overrides, zero-width characters: they could make a subject read as something else
            }
            var next = char.IsControl(c) || char.IsWhiteSpace(c) || c is '\u2028' or '\u2029' ? ' ' : c;
            if (next == ' ' && (line.Length == 0 || line[^1] == ' '))
            {
                continue;
            }
            line.Append(next);
            if (line.Length >= MaxHeaderText)
            {
                break;
            }
        }
        return line.ToString().TrimEnd();
    }

    private static string Title(MailContent.Feedback feedback, MailTexts texts) =>
        OneLine(feedback.Title ?? MailContent.Cut(feedback.Excerpt, MailContent.MaxTitle) ?? texts.Untitled);

    private static void FeedbackCard(Body body, MailContent.Feedback feedback, MailTexts texts)
    {
        body.Heading(Title(feedback, texts));
        if (feedback.Excerpt is { } excerpt && feedback.Title is not null)
        {
            body.Quote(excerpt);
        }
        if (feedback.ItemType is { } type)
        {
            body.Detail(texts.Type, OneLine(type));
        }
        if (feedback.PageUrl is { } page)
        {
            body.Detail(texts.Page, OneLine(page));
        }
    }

    private static string Format(string template, params string[] values) => string.Format(CultureInfo.InvariantCulture, template, values);

    /// <summary>The mail's content as blocks, written out once as text and once as HTML (every value escaped there).</summary>
    private sealed class Body
    {
        private readonly StringBuilder _text = new();
        private readonly StringBuilder _html = new();

        public void Paragraph(string text)
        {
            _text.Append(text).Append("\n\n");
            _html.Append("<p>").Append(Escape(text)).Append("</p>\n");
        }

        public void Heading(string text)
        {
            _text.Append("» ").Append(text).Append('\n');
            _html.Append("<p style=\"margin-bottom:4px\"><strong>").Append(Escape(text)).Append("</strong></p>\n");
        }

        public void Quote(string text)
        {
            foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            {
                _text.Append("  ").Append(line).Append('\n');
            }
            _html.Append("<blockquote style=\"margin:4px 0 4px 0;padding-left:12px;border-left:3px solid #ccc;white-space:pre-wrap\">")
                .Append(Escape(text)).Append("</blockquote>\n");
        }

        public void Detail(string label, string value)
        {
            _text.Append("  ").Append(label).Append(": ").Append(value).Append('\n');
            _html.Append("<p style=\"margin:2px 0;color:#555\">").Append(Escape(label)).Append(": ").Append(Escape(value)).Append("</p>\n");
        }

        public void Link(string label, string url)
        {
            _text.Append("  ").Append(url).Append("\n\n");
            _html.Append("<p><a href=\"").Append(Escape(url)).Append("\">").Append(Escape(label)).Append("</a></p>\n");
        }

        public void Action(string label, string url)
        {
            _text.Append(label).Append(":\n").Append(url).Append("\n\n");
            _html.Append("<p><a href=\"").Append(Escape(url))
                .Append("\" style=\"display:inline-block;padding:10px 16px;background:#2563eb;color:#fff;text-decoration:none;border-radius:6px\">")
                .Append(Escape(label)).Append("</a></p>\n");
        }

        public void Footer(string reason, string label, string url)
        {
            _text.Append("-- \n").Append(reason).Append('\n').Append(label).Append(": ").Append(url).Append('\n');
            _html.Append("<hr><p style=\"font-size:12px;color:#666\">").Append(Escape(reason)).Append("<br><a href=\"").Append(Escape(url)).Append("\">")
                .Append(Escape(label)).Append("</a></p>\n");
        }

        public string Text() => _text.ToString();

        public string Html(string language) =>
            $"<!DOCTYPE html>\n<html lang=\"{Escape(language)}\"><head><meta charset=\"utf-8\"></head>\n"
            + "<body style=\"font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#111\">\n"
            + _html + "</body></html>\n";

        private static string Escape(string text) => WebUtility.HtmlEncode(text);
    }
}
