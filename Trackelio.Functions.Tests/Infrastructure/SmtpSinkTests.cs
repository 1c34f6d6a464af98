using System.Net;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>The SMTP sink, driven by MailKit's client as the app drives its relay.</summary>
public sealed class SmtpSinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_message_to_two_recipients_arrives_with_its_envelope_and_parsed_headers()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var client = await ConnectAsync(sink);
        var message = Message("Your report was answered", "owner@example.test", "admin@example.test");
        message.Headers.Add("X-Trackelio-Event", "feedback.replied");

        await client.SendAsync(message, MailboxAddress.Parse("bounces@trackelio.test"), [MailboxAddress.Parse("owner@example.test"), MailboxAddress.Parse("admin@example.test")]);

        var mail = await sink.WaitForAsync(m => m.Subject == "Your report was answered", Wait);
        Assert.Equal("bounces@trackelio.test", mail.Sender);
        Assert.Equal(["owner@example.test", "admin@example.test"], mail.Recipients);
        Assert.Null(mail.UserName);
        Assert.Equal("feedback.replied", mail.Message.Headers["X-Trackelio-Event"]);
        Assert.Equal("noreply@trackelio.test", mail.Message.From.Mailboxes.Single().Address);
        Assert.Equal(["owner@example.test", "admin@example.test"], mail.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Hello from the test.", mail.Message.TextBody?.Trim());
        Assert.Contains("Subject: Your report was answered\r\n", Encoding.UTF8.GetString(mail.Raw), StringComparison.Ordinal);
        Assert.Single(sink.Messages);
    }

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task The_user_name_a_session_logged_in_with_is_recorded(string mechanism)
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.Credentials = new NetworkCredential("trackelio-mailer", "s3cret");
        sink.RequireAuthentication = true;
        using var client = await ConnectAsync(sink);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        var credentials = new NetworkCredential("trackelio-mailer", "s3cret");

        await client.AuthenticateAsync(mechanism == "PLAIN" ? new SaslMechanismPlain(credentials) : new SaslMechanismLogin(credentials));
        await client.SendAsync(Message("Logged in", "owner@example.test"));

        var mail = await sink.WaitForAsync(m => m.Subject == "Logged in", Wait);
        Assert.Equal("trackelio-mailer", mail.UserName);
    }

    [Fact]
    public async Task A_wrong_password_or_no_login_is_refused_when_credentials_are_required()
    {
        await using var sink = await SmtpSink.StartAsync();
        sink.Credentials = new NetworkCredential("trackelio-mailer", "s3cret");
        sink.RequireAuthentication = true;
        using var client = await ConnectAsync(sink);

        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(new SaslMechanismPlain("trackelio-mailer", "wrong")));
        // MailKit turns the 530 to MAIL FROM into this.
        await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => client.SendAsync(Message("Not logged in", "owner@example.test")));

        Assert.Empty(sink.Messages);
    }

    [Fact]
    public async Task FailTransiently_answers_451_and_keeps_nothing_until_switched_off()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var client = await ConnectAsync(sink);
        sink.FailTransiently = true;

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("Try later", "owner@example.test")));

        Assert.Equal(SmtpStatusCode.ErrorInProcessing, refused.StatusCode);
        Assert.InRange((int)refused.StatusCode, 400, 499);
        Assert.Contains("try again later", refused.Message, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
        Assert.Equal(1, sink.RefusedAttempts);
        Assert.Equal("Try later", Assert.Single(sink.Refused).Subject);

        sink.FailTransiently = false;
        await client.SendAsync(Message("Try later", "owner@example.test"));

        Assert.Equal("owner@example.test", Assert.Single((await sink.WaitForCountAsync(1, Wait))).Recipients.Single());
        Assert.Equal(1, sink.RefusedAttempts);
    }

    [Fact]
    public async Task FailPermanently_answers_550()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var client = await ConnectAsync(sink);
        sink.FailPermanently = true;

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("Never", "owner@example.test")));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, refused.StatusCode);
        Assert.Empty(sink.Messages);
        Assert.Equal(1, sink.RefusedAttempts);
    }

    [Fact]
    public async Task A_stopped_sink_refuses_connections_and_listens_again_on_the_same_port()
    {
        await using var sink = await SmtpSink.StartAsync();
        var port = sink.Port;
        using var open = await ConnectAsync(sink);

        await sink.StopListeningAsync();
        Assert.False(sink.IsListening);
        // The session that was open is ended too: the client finds the connection closed.
        var lost = await Assert.ThrowsAnyAsync<Exception>(() => open.SendAsync(Message("Lost", "owner@example.test")));
        Assert.True(lost is SmtpProtocolException or IOException, lost.ToString());
        using (var refused = new SmtpClient())
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => refused.ConnectAsync(sink.Host, port, SecureSocketOptions.None));
        }

        await sink.ResumeListeningAsync();
        Assert.Equal(port, sink.Port);
        using var client = await ConnectAsync(sink);
        await client.SendAsync(Message("Back up", "owner@example.test"));
        await sink.WaitForAsync(m => m.Subject == "Back up", Wait);
    }

    [Fact]
    public async Task WaitForAsync_times_out_listing_what_did_arrive()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var client = await ConnectAsync(sink);
        await client.SendAsync(Message("Weekly digest", "owner@example.test", "admin@example.test"));
        await sink.WaitForCountAsync(1, Wait);

        var timedOut = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => sink.WaitForAsync(m => m.Subject == "Password reset", TimeSpan.FromMilliseconds(200)));

        Assert.Contains("within 0.2 s", timedOut.Message, StringComparison.Ordinal);
        Assert.Contains("to owner@example.test, admin@example.test: \"Weekly digest\"", timedOut.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssertNothingArrivesAsync_ignores_earlier_mail_and_fails_on_a_new_match()
    {
        await using var sink = await SmtpSink.StartAsync();
        using var client = await ConnectAsync(sink);
        await client.SendAsync(Message("Earlier", "owner@example.test"));
        await sink.WaitForCountAsync(1, Wait);

        await sink.AssertNothingArrivesAsync(_ => true, TimeSpan.FromMilliseconds(100));

        var watching = sink.AssertNothingArrivesAsync(m => m.Subject == "Duplicate", TimeSpan.FromSeconds(5));
        await client.SendAsync(Message("Duplicate", "owner@example.test"));
        var failed = await Assert.ThrowsAsync<Xunit.Sdk.XunitException>(() => watching);
        Assert.Contains("\"Duplicate\"", failed.Message, StringComparison.Ordinal);
    }

    private static async Task<SmtpClient> ConnectAsync(SmtpSink sink)
    {
        var client = new SmtpClient();
        await client.ConnectAsync(sink.Host, sink.Port, SecureSocketOptions.None);
        return client;
    }

    private static MimeMessage Message(string subject, params string[] to)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = "Hello from the test." } };
        message.From.Add(MailboxAddress.Parse("noreply@trackelio.test"));
        message.To.AddRange(to.Select(MailboxAddress.Parse));
        return message;
    }
}
