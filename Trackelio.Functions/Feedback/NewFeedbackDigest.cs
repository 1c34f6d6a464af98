using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// The daily digest of new feedback: for every workspace with members whose preference is <c>daily</c>, one
/// mail each listing the feedback that arrived in the 24 hours before the digest hour (newest first, at most
/// <see cref="MailContent.MaxDigestItems"/>, with the total). A day without feedback sends nothing. The mails'
/// ids derive from workspace, day and member, so running it twice in one day (a retry, a second instance)
/// mails nobody twice.
/// </summary>
public sealed class NewFeedbackDigest(IWorkspaceStore workspaces, ITeamStore team, IFeedbackStore feedback, MailPublisher mail, ILogger<NewFeedbackDigest> logger)
{
    /// <summary>Queues the digest of the 24 hours before <paramref name="until"/> for every workspace; how many workspaces got one.</summary>
    public async Task<int> RunAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        if (!mail.IsEnabled)
        {
            return 0;
        }
        var digests = 0;
        await foreach (var workspace in workspaces.ListAllAsync(cancellationToken))
        {
            try
            {
                digests += await RunAsync(workspace, until, cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One workspace's failure must not keep the others' digests back; the next run of the day repeats it.
                logger.LogWarning(ex, "The daily digest of {WorkspaceId} failed", workspace.Id);
            }
        }
        return digests;
    }

    private async Task<bool> RunAsync(Workspace workspace, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var readers = await team.ListAsync(workspace.Id, cancellationToken)
            .Where(m => m.Status == "active" && m.Mail.NewFeedback == NewFeedbackMail.Daily).Select(m => m.Id).ToListAsync(cancellationToken);
        if (readers.Count == 0)
        {
            return false;
        }
        var from = until - TimeSpan.FromDays(1);
        var query = new FeedbackQuery { From = from, To = until };
        var items = new List<MailContent.Feedback>();
        var total = 0;
        string? after = null;
        do
        {
            var (page, next) = await feedback.ListAsync(workspace.Id, query with { After = after }, 200, cancellationToken);
            total += page.Count;
            items.AddRange(page.Take(MailContent.MaxDigestItems - items.Count).Select(FeedbackMail.Content));
            after = next;
        }
        while (after is not null);
        if (total == 0)
        {
            return false;
        }
        await mail.PublishAsync(MailIntent.Create(workspace.Id, MailKind.DailyDigest, $"digest@{until:yyyy-MM-dd'T'HH}", until, MailAudience.Members,
            new MailContent.DailyDigest(from, until, items, total)) with { UserIds = readers }, cancellationToken);
        return true;
    }
}

/// <summary>
/// Runs <see cref="NewFeedbackDigest"/> once a day at <c>Trackelio:Email:DigestHourUtc</c>: a timer-triggered
/// function that fires every hour (one instance at a time) and works in the configured hour only.
/// </summary>
public sealed class NewFeedbackDigestTimer(NewFeedbackDigest digest, IOptions<MailOptions> options, TimeProvider time, ILogger<NewFeedbackDigestTimer> logger)
{
    public const string FunctionName = "SendNewFeedbackDigest";

    [Function(FunctionName)]
    public async Task Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now.Hour != options.Value.DigestHourUtc)
        {
            return;
        }
        var until = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var digests = await digest.RunAsync(until, cancellationToken);
        logger.LogInformation("Daily digest until {Until}: {Workspaces} workspaces", until, digests);
    }
}
