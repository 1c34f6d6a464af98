using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Mail;

/// <summary>
/// Turns a <see cref="MailIntent"/> into one <see cref="OutgoingMail"/> per recipient, recorded in table
/// <c>mail</c> and queued for <see cref="MailSender"/>. Idempotent, like webhook publishing: each mail's
/// id derives from (source, kind, recipient), so publishing an intent again (an outbox flush after the
/// request published it, a retried queue message) records and queues nothing new. With mail off it
/// does nothing. Recipients are members of the workspace only, read when the intent is published:
/// named members by point read, admins and subscribers from a list kept <see cref="TeamDuration"/> per instance.
/// </summary>
public sealed class MailPublisher(ITeamStore team, IWorkspaceStore workspaces, MailStore store, StorageAccount account, IMemoryCache cache,
    IOptions<MailOptions> options, TimeProvider time)
{
    public static readonly TimeSpan TeamDuration = TimeSpan.FromSeconds(10);
    private readonly QueueClient _queue = account.GetQueueClient(StorageNames.Queues.Mail);

    public bool IsEnabled => options.Value.IsEnabled;

    /// <summary>The id of the mail <paramref name="intent"/> makes for <paramref name="userId"/>: the same every time.</summary>
    public static string MailId(MailIntent intent, string userId) =>
        Ids.Deterministic(Ids.Mail, intent.OccurredAt, Encoding.UTF8.GetBytes($"{intent.WorkspaceId}|{intent.SourceId}|{intent.Kind}|{userId}"));

    public async Task PublishAsync(MailIntent intent, CancellationToken cancellationToken)
    {
        if (!IsEnabled)
        {
            return;
        }
        var snapshot = await TeamAsync(intent.WorkspaceId, cancellationToken);
        if (snapshot is null)
        {
            return; // the workspace is gone
        }
        foreach (var member in await RecipientsAsync(intent, snapshot, cancellationToken))
        {
            await QueueAsync(new OutgoingMail
            {
                Id = MailId(intent, member.Id),
                WorkspaceId = intent.WorkspaceId,
                Kind = intent.Kind,
                UserId = member.Id,
                To = member.Email,
                ToName = member.Name,
                Language = snapshot.Workspace.Language,
                WorkspaceName = snapshot.Workspace.Name,
                Data = intent.Data,
                CreatedAt = time.GetUtcNow(),
            }, cancellationToken);
        }
    }

    private async Task<IReadOnlyList<TeamMember>> RecipientsAsync(MailIntent intent, TeamSnapshot snapshot, CancellationToken cancellationToken)
    {
        IEnumerable<TeamMember> candidates;
        if (intent.Audience == MailAudience.Members)
        {
            var named = new List<TeamMember>();
            foreach (var userId in intent.UserIds.Distinct())
            {
                // Read now, not from the list: an invitee was added by the very change that mails them.
                if (await team.GetAsync(intent.WorkspaceId, userId, cancellationToken) is { } member
                    && (member.Status == "active" || intent.Kind == MailKind.Invitation)
                    && (intent.Kind != MailKind.FeedbackAssigned || member.Mail.Assigned)
                    && (intent.Kind != MailKind.DailyDigest || member.Mail.NewFeedback == NewFeedbackMail.Daily))
                {
                    named.Add(member);
                }
            }
            candidates = named;
        }
        else
        {
            candidates = snapshot.Members.Where(m => m.Status == "active" && (intent.Audience == MailAudience.Admins
                ? (m.Role == TeamRole.Admin || m.Id == snapshot.Workspace.OwnerUserId) && m.Mail.WidgetResumed
                : m.Mail.NewFeedback == NewFeedbackMail.Instant));
        }
        return [.. candidates.Where(m => m.Id != intent.ActorUserId)];
    }

    /// <summary>
    /// Records the mail and queues it. A mail recorded before is queued again only while nothing has been
    /// tried or begun yet (its first message may have been lost); one under way or finished is left alone, so one
    /// mail never has two chains of retries.
    /// </summary>
    public async Task QueueAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        try
        {
            await store.AddAsync(mail, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            if (await store.GetAsync(mail.WorkspaceId, mail.Id, cancellationToken) is not { Value: { Status: MailStatus.Queued, Attempts: 0, ClaimedAt: null } })
            {
                return;
            }
        }
        await _queue.SendMessageAsync(JsonSerializer.Serialize(new MailMessage(mail.WorkspaceId, mail.Id), TrackelioJson.Options), cancellationToken: cancellationToken);
    }

    private sealed record TeamSnapshot(Workspace Workspace, IReadOnlyList<TeamMember> Members);

    private async Task<TeamSnapshot?> TeamAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var key = (nameof(MailPublisher), workspaceId);
        if (cache.TryGetValue(key, out TeamSnapshot? snapshot) && snapshot is not null)
        {
            return snapshot;
        }
        if (await workspaces.GetAsync(workspaceId, cancellationToken) is not { } workspace)
        {
            return null;
        }
        snapshot = new TeamSnapshot(workspace, await team.ListAsync(workspaceId, cancellationToken).ToListAsync(cancellationToken));
        cache.Set(key, snapshot, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TeamDuration, Size = 1 });
        return snapshot;
    }

    /// <summary>Forgets this instance's list of the workspace's team (after a change to a member's preferences here).</summary>
    public void Invalidate(string workspaceId) => cache.Remove((nameof(MailPublisher), workspaceId));
}
