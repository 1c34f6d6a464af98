using MailKit.Net.Smtp;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Mail;

/// <summary>
/// Outgoing mail over SMTP: what changes record (<see cref="MailIntent"/>), who gets it
/// (<see cref="MailPublisher"/>), what it says (<see cref="MailComposer"/>) and the function that sends it
/// (<see cref="MailSender"/>). Nothing here knows HTTP surfaces or the modules whose changes cause mail.
/// </summary>
public static class MailModule
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection("Trackelio:Email"));
        services.AddMemoryCache();
        services.AddSingleton<MailStore>();
        services.AddSingleton<MailPublisher>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddSingleton<MailComposer>();
        // One client per attempt: SmtpClient holds one connection and is not shared between threads.
        services.AddSingleton<Func<ISmtpClient>>(() => new SmtpClient());
        services.AddQueueFunction<MailSender>(MailSender.FunctionName, StorageNames.Queues.Mail);
        return services;
    }
}
