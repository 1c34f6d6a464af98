using MailKit.Security;
using MimeKit;

namespace Trackelio.Functions.Mail;

/// <summary>How the connection to the relay is secured (<c>Trackelio:Email:Security</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP: only for a relay on the same host or a development server.</summary>
    None,

    /// <summary>Plain connect, then STARTTLS, required (port 587: Azure Communication Services, SendGrid, Mailgun).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// Outgoing mail (<c>Trackelio:Email</c>, environment <c>Trackelio__Email__…</c>). No
/// <see cref="SmtpHost"/>: mail is off, invitations say <c>email_status: "disabled"</c> and nothing is queued.
/// </summary>
public sealed class MailOptions
{
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender, <c>Name &lt;address&gt;</c> or an address; the relay must allow it.</summary>
    public string? From { get; set; }

    /// <summary>Where links in mails point: the team's dashboard (the invitation link carries its token).</summary>
    public string? AppUrl { get; set; }

    /// <summary>Where the API answers, for the one-click unsubscribe link; default: <see cref="AppUrl"/>'s scheme, host and port.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The hour (UTC) the daily digest of new feedback goes out.</summary>
    public int DigestHourUtc { get; set; } = 7;

    /// <summary>Invitations (new and resent) a workspace may send per hour: the API is no open relay.</summary>
    public int InvitationsPerHour { get; set; } = 20;

    /// <summary>How soon one invitation may be resent again.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sending attempts while the relay fails (4xx, unreachable) before the mail is given up (<c>failed</c>, <c>mail-poison</c>).</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>The wait after the first failed attempt; it doubles (<see cref="BackoffFactor"/>) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    public double BackoffFactor { get; set; } = 2;
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one conversation with the relay may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(SmtpHost);

    public SecureSocketOptions SocketOptions => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    /// <summary>The wait before attempt <paramref name="failedAttempts"/> + 1.</summary>
    public TimeSpan RetryDelay(int failedAttempts)
    {
        var wait = FirstRetryDelay * Math.Pow(BackoffFactor, Math.Max(0, failedAttempts - 1));
        return wait > MaxRetryDelay ? MaxRetryDelay : wait;
    }

    public MailboxAddress Sender => MailboxAddress.Parse(From!);

    /// <summary>The dashboard's base address, without a trailing slash.</summary>
    public string AppBase => AppUrl!.TrimEnd('/');

    public string ApiBase => (ApiUrl is { Length: > 0 } api ? api : new Uri(AppUrl!).GetLeftPart(UriPartial.Authority)).TrimEnd('/');

    /// <summary>Why mail cannot be sent although it is on (a setting missing or malformed); null when it can.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(From) || !MailboxAddress.TryParse(From, out _))
        {
            return "Trackelio:Email:From is not a mail address.";
        }
        if (!IsAbsoluteHttp(AppUrl))
        {
            return "Trackelio:Email:AppUrl is not an http(s) address.";
        }
        if (ApiUrl is { Length: > 0 } && !IsAbsoluteHttp(ApiUrl))
        {
            return "Trackelio:Email:ApiUrl is not an http(s) address.";
        }
        return SmtpPort is < 1 or > 65535 ? "Trackelio:Email:SmtpPort is not a port." : null;
    }

    private static bool IsAbsoluteHttp(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
