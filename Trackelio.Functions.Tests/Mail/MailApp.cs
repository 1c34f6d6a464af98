using System.Net;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Mail;

/// <summary>
/// The app with mail on, pointed at a real SMTP server the fixture starts (<see cref="SmtpSink"/>) that
/// only takes the configured login. On an Azurite of its own: another app under test (mail off) must
/// never take this one's mail messages. Retries come within a second, and outbox flushes after two.
/// </summary>
public class MailApp : TrackelioApp
{
    public const string UserName = "trackelio-relay-user";
    public const string Password = "relay password with spaces";
    public const string AppUrl = "https://dashboard.example.test/app";
    public const int InvitationsPerHour = 6;

    public SmtpSink Smtp { get; private set; } = null!;

    /// <summary>The app's clock: tests move it on to expire sign-in links and sessions.</summary>
    public ShiftedClock Clock { get; } = new();

    protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Email:SmtpHost"] = Smtp.Host,
        ["Trackelio:Email:SmtpPort"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Trackelio:Email:Security"] = "None",
        ["Trackelio:Email:UserName"] = UserName,
        ["Trackelio:Email:Password"] = Password,
        ["Trackelio:Email:From"] = "Trackelio <notifications@trackelio.test>",
        ["Trackelio:Email:AppUrl"] = AppUrl,
        ["Trackelio:Email:ApiUrl"] = "https://api.trackelio.test",
        ["Trackelio:Email:InvitationsPerHour"] = InvitationsPerHour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Trackelio:Email:ResendInterval"] = "00:00:01",
        ["Trackelio:Email:FirstRetryDelay"] = "00:00:00.300",
        ["Trackelio:Email:BackoffFactor"] = "1",
        ["Trackelio:Email:MaxAttempts"] = "40",
        ["Trackelio:Email:Timeout"] = "00:00:05",
        ["Trackelio:Webhooks:OutboxFlushDelay"] = "00:00:02",
        ["Trackelio:Testing:ClockFile"] = Clock.File,
        // The instant-mail recipients list is read once per 10 s per instance; the tests change preferences through the
        // app, which forgets its own list at once.
    };

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        Smtp.Credentials = new NetworkCredential(UserName, Password);
        Smtp.RequireAuthentication = true;
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
