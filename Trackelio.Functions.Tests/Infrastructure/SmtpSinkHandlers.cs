using System.Buffers;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>The <see cref="SmtpSink"/>'s message store: what follows <c>DATA</c>, with its envelope and login, goes to <see cref="SmtpSink.Receive"/>, whose answer ends the <c>DATA</c>.</summary>
internal sealed class SmtpSinkMessageStore(SmtpSink sink) : MessageStore
{
    public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        var mail = ReceivedMail.Parse(
            transaction.From.AsAddress(),
            [.. transaction.To.Select(to => to.AsAddress())],
            context.Authentication.IsAuthenticated ? context.Authentication.User : null,
            buffer.ToArray());
        return Task.FromResult(sink.Receive(mail));
    }
}

/// <summary>The <see cref="SmtpSink"/>'s <c>AUTH PLAIN</c>/<c>LOGIN</c> check: any login, or only <see cref="SmtpSink.Credentials"/> when set.</summary>
internal sealed class SmtpSinkAuthenticator(SmtpSink sink) : UserAuthenticator
{
    public override Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
    {
        var expected = sink.Credentials;
        return Task.FromResult(expected is null || (user == expected.UserName && password == expected.Password));
    }
}

/// <summary>The <see cref="SmtpSink"/>'s <c>MAIL FROM</c> check: <c>530</c> without a login while <see cref="SmtpSink.RequireAuthentication"/> is on.</summary>
internal sealed class SmtpSinkMailboxFilter(SmtpSink sink) : MailboxFilter
{
    public override Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken)
    {
        if (sink.RequireAuthentication && !context.Authentication.IsAuthenticated)
        {
            throw new SmtpResponseException(SmtpResponse.AuthenticationRequired);
        }
        return Task.FromResult(true);
    }
}
