using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Mail;

/// <summary>
/// The <c>SendMail</c> queue function: one attempt to hand one mail to the relay over SMTP (MailKit).
/// <list type="bullet">
/// <item>Accepted: the mail is recorded <c>sent</c> (and an invitation's member says so). A mail accepted
/// but not recorded (storage failed just then) is sent again by the retry: the same <c>Message-ID</c>.</item>
/// <item>Refused for good (a 5xx reply: unknown recipient, sender not allowed): recorded <c>failed</c>, not retried.</item>
/// <item>Relay down, 4xx, TLS or login failing: the attempt is recorded and the next one scheduled as a
/// delayed message, waiting <see cref="MailOptions.FirstRetryDelay"/> doubling up to <see cref="MailOptions.MaxRetryDelay"/>;
/// after <see cref="MailOptions.MaxAttempts"/> the mail is recorded <c>failed</c> and its message put into
/// <c>mail-poison</c>. A relay outage delays mail for up to a day and loses none.</item>
/// <item>This function failing (storage down, a crash) is the host's to retry: after <c>maxDequeueCount</c> the
/// host moves the message to <c>mail-poison</c>; the mail's record still says where it got.</item>
/// </list>
/// A mail whose recipient left, turned that mail off meanwhile, or whose invitation was replaced is <c>cancelled</c>
/// instead of sent (read before each attempt: a retry a day later still asks).
/// Before talking to the relay an attempt claims the mail (a conditional write): a second delivery of the same
/// message waits while the claim is recent, so two instances do not send one mail at the same time.
/// </summary>
public sealed class MailSender(MailStore store, ITeamStore team, MailComposer composer, Func<ISmtpClient> smtpClients, StorageAccount account,
    IOptions<MailOptions> options, TimeProvider time, ILogger<MailSender> logger) : IQueueMessageHandler
{
    public const string FunctionName = "SendMail";

    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        MailMessage? request;
        try
        {
            request = JsonSerializer.Deserialize<MailMessage>(message, TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException("Not a mail message: " + ex.Message, ex);
        }
        if (request is null || !Ids.IsValid(request.WorkspaceId, Ids.Workspace) || !Ids.IsValid(request.MailId, Ids.Mail))
        {
            throw new PoisonMessageException("The message names no mail.");
        }
        var stored = await store.GetAsync(request.WorkspaceId, request.MailId, cancellationToken)
            ?? throw new PoisonMessageException($"Mail {request.MailId} does not exist.");
        var mail = stored.Value;
        if (mail.Status is MailStatus.Sent or MailStatus.Failed or MailStatus.Cancelled)
        {
            // A redelivered message for a finished mail: the member's side of it may not have been written yet.
            await RecordOnMemberAsync(mail, mail.Status, mail.SentAt, cancellationToken);
            return;
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        if ((settings.IsEnabled ? settings.Problem() : "Mail is off: Trackelio:Email:SmtpHost is not set.") is { } problem)
        {
            logger.LogError("Mail {MailId} cannot be sent: {Problem}", mail.Id, problem);
            await FinishAsync(mail with { LastError = problem }, stored.ETag, MailStatus.Failed, now, cancellationToken);
            return;
        }
        // An attempt under way is let finish first: it may be handing the mail to the relay right now.
        if (mail.ClaimedAt is { } claimed && now - claimed < 2 * settings.Timeout)
        {
            throw new InvalidOperationException($"Mail {mail.Id} is being sent by another attempt since {claimed:O}; this one waits.");
        }
        if (await WhyNotAnyMoreAsync(mail, cancellationToken) is { } reason)
        {
            logger.LogInformation("Mail {MailId} ({Kind}) is not sent: {Reason}", mail.Id, mail.Kind, reason);
            await FinishAsync(mail with { LastError = reason }, stored.ETag, MailStatus.Cancelled, now, cancellationToken);
            return;
        }
        ETag claim;
        try
        {
            claim = await store.SaveAsync(mail with { ClaimedAt = now }, stored.ETag, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new InvalidOperationException($"Mail {mail.Id} changed while this attempt began; it is tried again.", ex);
        }

        string? error;
        bool permanent;
        try
        {
            await SendAsync(composer.Compose(mail), settings, cancellationToken);
            await FinishAsync(mail, claim, MailStatus.Sent, now, cancellationToken);
            logger.LogInformation("Mail {MailId} ({Kind}) was accepted by the relay", mail.Id, mail.Kind);
            return;
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
        {
            (error, permanent) = ($"{(int)ex.StatusCode} {ex.Message}", true);
        }
        catch (ParseException ex)
        {
            // An address (or name) MimeKit cannot write: no attempt will do better.
            (error, permanent) = ("The message cannot be written: " + ex.Message, true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            (error, permanent) = (ex is SmtpCommandException command ? $"{(int)command.StatusCode} {command.Message}" : ex.Message, false);
        }

        var attempts = mail.Attempts + 1;
        var failed = mail with { Attempts = attempts, LastError = error, ClaimedAt = null };
        if (permanent || attempts >= settings.MaxAttempts)
        {
            logger.LogWarning("Mail {MailId} ({Kind}) failed after {Attempts} attempts and is given up: {Error}", mail.Id, mail.Kind, attempts, error);
            await FinishAsync(failed, claim, MailStatus.Failed, now, cancellationToken);
            if (!permanent)
            {
                await account.GetQueueClient(StorageNames.Queues.MailPoison).SendMessageAsync(message, timeToLive: StorageNames.Queues.NeverExpires, cancellationToken: cancellationToken);
            }
            return;
        }
        var wait = settings.RetryDelay(attempts);
        logger.LogWarning("Mail {MailId} ({Kind}): attempt {Attempts} failed ({Error}); the next in {Wait}", mail.Id, mail.Kind, attempts, error, wait);
        await store.SaveAsync(failed with { Status = MailStatus.Retrying, NextAttemptAt = now + wait }, claim, cancellationToken);
        await account.GetQueueClient(StorageNames.Queues.Mail).SendMessageAsync(message, visibilityTimeout: wait, cancellationToken: cancellationToken);
    }

    private async Task SendAsync(MimeMessage message, MailOptions settings, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var client = smtpClients();
        client.Timeout = (int)settings.Timeout.TotalMilliseconds;
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, settings.SocketOptions, timeout.Token);
        if (settings.UserName is { Length: > 0 } user)
        {
            await client.AuthenticateAsync(user, settings.Password ?? "", timeout.Token);
        }
        await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(quit: true, timeout.Token);
    }

    /// <summary>Records the outcome; the content (an invitation's token) is dropped. An invitation's member gets the mail's status.</summary>
    private async Task FinishAsync(OutgoingMail mail, ETag ifMatch, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sentAt = status == MailStatus.Sent ? now : (DateTimeOffset?)null;
        await store.SaveAsync(mail with { Status = status, Data = null, ClaimedAt = null, NextAttemptAt = null, SentAt = sentAt }, ifMatch, cancellationToken);
        await RecordOnMemberAsync(mail, status, sentAt, cancellationToken);
    }

    /// <summary>An invitation's outcome on its member (when the member's invitation is still this mail's); the same write again is harmless.</summary>
    private async Task RecordOnMemberAsync(OutgoingMail mail, string status, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        if (mail.Kind != MailKind.Invitation || status == MailStatus.Cancelled)
        {
            return;
        }
        var emailStatus = status == MailStatus.Sent ? InvitationEmailStatus.Sent : InvitationEmailStatus.Failed;
        await team.UpdateAsync(mail.WorkspaceId, mail.UserId, member => member.Invitation is { } invitation && invitation.MailId == mail.Id
            && (invitation.EmailStatus != emailStatus || invitation.EmailSentAt != sentAt)
            ? member with { Invitation = invitation with { EmailStatus = emailStatus, EmailSentAt = sentAt } }
            : null, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Why the mail should no longer go out, read from its recipient now: they left the workspace (or their
    /// invitation was accepted, or replaced by a newer one), or turned this kind of mail off meanwhile.
    /// </summary>
    private async Task<string?> WhyNotAnyMoreAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        var member = await team.GetAsync(mail.WorkspaceId, mail.UserId, cancellationToken);
        return (mail.Kind, member) switch
        {
            (_, null) => "the recipient is no longer a member",
            (MailKind.Invitation, { Status: not "pending" }) => "the invitation was accepted",
            (MailKind.Invitation, { Invitation.MailId: var current }) when current != mail.Id => "a newer invitation replaced it",
            (MailKind.Invitation, _) => null,
            (_, { Status: not "active" }) => "the recipient is not an active member",
            (MailKind.NewFeedback or MailKind.DailyDigest, { Mail.NewFeedback: NewFeedbackMail.Off }) => "the recipient turned mails about new feedback off",
            (MailKind.FeedbackAssigned, { Mail.Assigned: false }) => "the recipient turned assignment mails off",
            (MailKind.WidgetResumed, { Mail.WidgetResumed: false }) => "the recipient turned widget-resumed mails off",
            _ => null,
        };
    }
}
