using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// The daily digest of new feedback: for every workspace with members whose preference is <c>daily</c>, one
/// mail each listing the feedback that arrived in the 24 hours before the digest hour (newest first, at most
/// <see cref="MailContent.MaxDigestItems"/>, with the total). A day without feedback sends nothing. A workspace
/// whose digest is done is marked (row <c>digest|{yyyyMMddHH}</c> beside it in table <c>workspaces</c>); one that
/// failed is tried again by the next run (every hour until the day ends). The mails' ids derive from workspace,
/// day and member, so a second run mails nobody twice.
/// </summary>
public sealed class NewFeedbackDigest(IWorkspaceStore workspaces, ITeamStore team, IFeedbackStore feedback, MailPublisher mail, StorageAccount account,
    ILogger<NewFeedbackDigest> logger)
{
    private readonly TableClient _marks = account.GetTableClient(StorageNames.Tables.Workspaces);

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
            var mark = "digest|" + until.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);
            try
            {
                if (await _marks.GetEntityOrNullAsync(workspace.Id, mark, cancellationToken) is not null)
                {
                    continue;
                }
                digests += await RunAsync(workspace, until, cancellationToken) ? 1 : 0;
                await _marks.UpsertEntityAsync(new TableEntity(workspace.Id, mark), TableUpdateMode.Replace, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One workspace's failure must not keep the others' digests back; the next hour's run repeats it.
                logger.LogWarning(ex, "The daily digest of {WorkspaceId} failed; the next run tries again", workspace.Id);
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
/// Runs <see cref="NewFeedbackDigest"/> once a day from <c>Trackelio:Email:DigestHourUtc</c>: a timer-triggered
/// function that fires every hour (one instance at a time); from the configured hour to the end of the day each run
/// finishes the day's digest where an earlier run failed or did not happen (the host was down at that hour).
/// </summary>
public sealed class NewFeedbackDigestTimer(NewFeedbackDigest digest, IOptions<MailOptions> options, TimeProvider time, ILogger<NewFeedbackDigestTimer> logger)
{
    public const string FunctionName = "SendNewFeedbackDigest";

    [Function(FunctionName)]
    public async Task Run([TimerTrigger("0 0 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now.Hour < options.Value.DigestHourUtc)
        {
            return;
        }
        var until = new DateTimeOffset(now.Year, now.Month, now.Day, options.Value.DigestHourUtc, 0, 0, TimeSpan.Zero);
        var digests = await digest.RunAsync(until, cancellationToken);
        logger.LogInformation("Daily digest until {Until}: {Workspaces} workspaces", until, digests);
    }
}
