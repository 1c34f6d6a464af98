using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.SignIn;

/// <summary>
/// The <c>SendSignInLink</c> queue function: for a sign-in request (queue <c>signin</c>), every active membership
/// of the address gets a new sign-in token (its hash on the member, beside the other unused links) and a mail with the link,
/// recorded with the member in the outbox like an invitation. An address that is no member gets nothing — but the
/// request was answered alike before this ran. A member sent <see cref="SignInOptions.LinksPerQuarterHour"/> links
/// in the last quarter hour gets no more for now (the ones sent still work); a retried message issues no second link for the same request.
/// </summary>
public sealed class SignInLinkSender(ITeamStore team, EventOutbox outbox, MailPublisher mail, IOptions<SignInOptions> options, TimeProvider time,
    ILogger<SignInLinkSender> logger) : IQueueMessageHandler
{
    public const string FunctionName = "SendSignInLink";

    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        SignInMessage? request;
        try
        {
            request = JsonSerializer.Deserialize<SignInMessage>(message, TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException("Not a sign-in request: " + ex.Message, ex);
        }
        if (request is null || !FieldReader.IsEmail(request.Email) || !Ids.IsValid(request.RequestId, Ids.Request))
        {
            throw new PoisonMessageException("The message names no address or request.");
        }
        if (!mail.IsEnabled)
        {
            return;
        }
        var memberships = await team.FindByEmailAsync(request.Email, cancellationToken).Where(m => m.Status == "active").ToListAsync(cancellationToken);
        foreach (var member in memberships)
        {
            await IssueAsync(member, request.RequestId, cancellationToken);
        }
    }

    private async Task IssueAsync(TeamMember member, string requestId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        MailIntent? intent = null;
        await outbox.UpdateAsync<TeamMember>(StorageNames.Tables.Members, member.WorkspaceId,
            _ => ([], intent is null ? [] : [intent]),
            with => team.UpdateAsync(member.WorkspaceId, member.Id, current =>
            {
                intent = null;
                // Links of the last quarter hour (older ones have expired anyway): they count against the limit and stay valid.
                var recent = (current.SignIn?.Links ?? []).Where(l => l.IssuedAt > now - TimeSpan.FromMinutes(15)).ToList();
                if (current.Status != "active" || current.SignIn?.RequestId == requestId)
                {
                    return null;
                }
                if (recent.Count >= settings.LinksPerQuarterHour)
                {
                    logger.LogWarning("Member {UserId} of {WorkspaceId} asked for more than {Limit} sign-in links in 15 minutes; this one is not sent",
                        current.Id, current.WorkspaceId, settings.LinksPerQuarterHour);
                    return null;
                }
                var token = SignInToken.New(current.WorkspaceId, current.Id);
                intent = MailIntent.Create(current.WorkspaceId, MailKind.SignIn, $"signin@{requestId}", now, MailAudience.Members,
                    new MailContent.SignIn(token, now + settings.LinkValidFor)) with { UserIds = [current.Id] };
                return current with { SignIn = new MemberSignIn([.. recent, new IssuedSignInLink(Secrets.Hash(token), now)], requestId) };
            }, with, cancellationToken), cancellationToken);
    }
}

/// <summary>The queue-triggered function that mails sign-in links.</summary>
public sealed class SignInFunctions(QueueFunctionRunner runner)
{
    [Function(SignInLinkSender.FunctionName)]
    public Task Send([QueueTrigger(StorageNames.Queues.SignIn)] string message, FunctionContext context, CancellationToken cancellationToken) =>
        runner.RunAsync(SignInLinkSender.FunctionName, message, context, cancellationToken);
}
