using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Trackelio.Functions.Api;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Mail;

/// <summary>What a mail looks like, without a relay: headers, parts, links, and hostile text kept as text.</summary>
public sealed class MailComposerTests
{
    private static readonly MailOptions Options = new()
    {
        SmtpHost = "smtp.example.com",
        From = "Trackelio <noreply@mail.example.com>",
        AppUrl = "https://app.example.com/app/",
    };

    private static readonly UnsubscribeLinks Links = new(
        new LinkSigningKey(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Trackelio:LinkSigningKey"] = Convert.ToBase64String(new byte[32]) }).Build(),
            NullLogger<LinkSigningKey>.Instance),
        Microsoft.Extensions.Options.Options.Create(Options));

    private static readonly MailComposer Composer = new(Microsoft.Extensions.Options.Options.Create(Options), Links);

    private static OutgoingMail Mail<T>(MailKind kind, T content, string language = "en", string? toName = "Ada", string workspace = "Shop") => new()
    {
        Id = Ids.New(Ids.Mail),
        WorkspaceId = Ids.New(Ids.Workspace),
        Kind = kind,
        UserId = Ids.New(Ids.User),
        To = "ada@example.com",
        ToName = toName,
        Language = language,
        WorkspaceName = workspace,
        Data = JsonSerializer.SerializeToElement(content, TrackelioJson.Options),
        CreatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public void An_invitation_has_text_and_html_its_link_and_no_unsubscribe_header()
    {
        var mail = Mail(MailKind.Invitation, new MailContent.Invitation("Bob", "bob@example.com", "editor", "inv_token+/=", DateTimeOffset.Parse("2026-12-14T08:00:00Z")));

        var message = Composer.Compose(mail);

        Assert.Equal($"{mail.Id}@mail.example.com", message.MessageId);
        Assert.Equal("Bob invited you to Shop on Trackelio", message.Subject);
        Assert.Contains("https://app.example.com/app/invitation#token=inv_token%2B%2F%3D", message.TextBody);
        Assert.Contains("2026-12-14 08:00", message.TextBody);
        Assert.Contains("as an editor", message.HtmlBody);
        Assert.Null(message.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
    }

    [Fact]
    public void A_notification_carries_a_one_click_unsubscribe_link_that_reads_back()
    {
        var mail = Mail(MailKind.NewFeedback, new MailContent.NewFeedback(new MailContent.Feedback("fb_1", "Broken", "It broke", "bug", null)), language: "de");

        var message = Composer.Compose(mail);

        Assert.Equal("Neues Feedback in Shop: Broken", message.Subject);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[HeaderId.ListUnsubscribePost]);
        var link = message.Headers[HeaderId.ListUnsubscribe]!.Trim('<', '>');
        Assert.StartsWith("https://app.example.com/v1/mail/unsubscribe?token=", link);
        var token = Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
        Assert.Equal((mail.WorkspaceId, mail.UserId, UnsubscribeTopic.NewFeedback), Links.Read(token));
        Assert.Null(Links.Read(token[..^2] + "xx"));
        Assert.Null(Links.Read(token.Replace(".0.", ".1.", StringComparison.Ordinal)));
    }

    [Fact]
    public void Line_breaks_html_and_links_in_names_and_texts_stay_text()
    {
        const string hostile = "Eve\r\nBcc: x@evil.example\n<b>bold</b> <a href=\"https://evil.example\">x</a>";
        var mail = Mail(MailKind.FeedbackAssigned, new MailContent.FeedbackAssigned(new MailContent.Feedback("fb_1", hostile, hostile, "bug", "https://evil.example/page"), hostile),
            toName: hostile, workspace: hostile);

        var message = Composer.Compose(mail);

        Assert.DoesNotContain("\n", message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", message.To.Mailboxes.Single().Name ?? "", StringComparison.Ordinal);
        Assert.Equal("ada@example.com", message.To.Mailboxes.Single().Address);
        Assert.Empty(message.Bcc);
        Assert.DoesNotContain("<b>", message.HtmlBody);
        Assert.Contains("&lt;b&gt;bold&lt;/b&gt;", message.HtmlBody);
        Assert.DoesNotContain("href=\"https://evil.example", message.HtmlBody);
        using var written = new MemoryStream();
        message.WriteTo(written);
        var headers = System.Text.Encoding.UTF8.GetString(written.ToArray()).Split("\r\n\r\n")[0];
        Assert.DoesNotContain(headers.Split("\r\n"), line => line.StartsWith("Bcc:", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Settings_that_cannot_work_are_named()
    {
        Assert.Null(Options.Problem());
        Assert.Contains("From", new MailOptions { SmtpHost = "h", AppUrl = "https://a" }.Problem());
        Assert.Contains("AppUrl", new MailOptions { SmtpHost = "h", From = "a@b.c", AppUrl = "javascript:alert(1)" }.Problem());
        Assert.False(new MailOptions().IsEnabled);
        Assert.Equal(TimeSpan.FromMinutes(4), new MailOptions().RetryDelay(3));
        Assert.Equal(TimeSpan.FromHours(1), new MailOptions().RetryDelay(20));
    }
}
