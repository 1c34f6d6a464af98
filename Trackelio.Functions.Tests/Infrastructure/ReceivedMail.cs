using MimeKit;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// One message as an <see cref="SmtpSink"/> took it in: the envelope (<c>MAIL FROM</c>, every
/// <c>RCPT TO</c>), the user name the session logged in with (null without <c>AUTH</c>), the bytes
/// sent after <c>DATA</c> and those bytes parsed by MimeKit.
/// </summary>
public sealed record ReceivedMail(
    string? Sender,
    IReadOnlyList<string> Recipients,
    string? UserName,
    byte[] Raw,
    MimeMessage Message,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The <c>Subject</c> header, or empty.</summary>
    public string Subject => Message.Subject ?? "";

    /// <summary>One line for failure messages: recipients, subject, sender and login.</summary>
    public override string ToString() =>
        $"to {string.Join(", ", Recipients)}: \"{Subject}\" (from {Sender ?? "<>"}{(UserName is null ? "" : $", logged in as {UserName}")})";

    internal static ReceivedMail Parse(string? sender, IReadOnlyList<string> recipients, string? userName, byte[] raw)
    {
        using var stream = new MemoryStream(raw, writable: false);
        return new ReceivedMail(sender, recipients, userName, raw, MimeMessage.Load(stream), DateTimeOffset.UtcNow);
    }
}
