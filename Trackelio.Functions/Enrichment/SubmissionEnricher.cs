using System.Text.Json;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment.Redaction;
using Trackelio.Functions.Enrichment.UserAgents;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Enrichment;

/// <summary>
/// The <c>EnrichSubmission</c> queue function: turns a durable submission into the feedback
/// record the team reads. It parses the user agent, removes secrets from the captured logs,
/// applies the widget's log limits, checks each attachment exists and belongs to the project,
/// writes the record once (a redelivered message changes nothing), keeps the counters, and
/// removes the claim-check blob.
/// </summary>
public sealed class SubmissionEnricher(StorageAccount account, IFeedbackStore feedback, IAttachmentStore attachments,
    WidgetLimitsCache widgetLimits, UserAgentParser userAgents, IWebhookPublisher webhooks, MailPublisher mail, TimeProvider time) : IQueueMessageHandler
{
    public const string FunctionName = "EnrichSubmission";

    private readonly BlobContainerClient _claims = account.GetBlobContainerClient(StorageNames.Containers.Submissions);

    public async Task HandleAsync(string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var envelope = ReadMessage(message);
        var (workspaceId, feedbackId) = (envelope.WorkspaceId, envelope.FeedbackId);

        // No read first: creating is conditional (a redelivered message finds the record there and
        // changes nothing), and the record, its count and its small logs go in one transaction.
        var submission = envelope.Submission ?? await LoadClaimAsync(envelope, cancellationToken);
        if (submission is not null)
        {
            var (record, logs) = await EnrichAsync(submission, cancellationToken);
            // Announced on every run, with the same delivery ids (derived from the record and the
            // endpoint): a run that created the record but failed to publish is repaired by the
            // queue's retry, which finds the record there; a delivery already recorded is left alone.
            await feedback.CreateAsync(record, logs, cancellationToken);
            await webhooks.PublishAsync(new DomainEvent(workspaceId, WebhookEvents.FeedbackCreated, feedbackId, record.CreatedAt,
                FeedbackView.Summary(record)), cancellationToken);
            // The same for the mail to members who asked for each new feedback: its id derives from the record and the member.
            await mail.PublishAsync(FeedbackMail.New(record), cancellationToken);
        }

        if (envelope.Blob is not null)
        {
            await _claims.DeleteBlobIfExistsAsync(envelope.Blob, cancellationToken: cancellationToken);
        }
    }

    private static SubmissionMessage ReadMessage(string message)
    {
        SubmissionMessage? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<SubmissionMessage>(message, TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException("The message is not a submission: " + ex.Message, ex);
        }
        if (envelope is null || !Ids.IsValid(envelope.FeedbackId, Ids.Feedback) || !Ids.IsValid(envelope.WorkspaceId, Ids.Workspace)
            || (envelope.Submission is null) == (envelope.Blob is null))
        {
            throw new PoisonMessageException("The message lacks a feedback id, a workspace id, or exactly one of submission and blob.");
        }
        if (envelope.Submission is { } s && (s.Id != envelope.FeedbackId || s.WorkspaceId != envelope.WorkspaceId))
        {
            throw new PoisonMessageException("The message's ids do not match its submission's.");
        }
        return envelope;
    }

    /// <summary>The claim-checked submission; null when it is gone because an earlier delivery enriched it already.</summary>
    private async Task<FeedbackSubmission?> LoadClaimAsync(SubmissionMessage envelope, CancellationToken cancellationToken)
    {
        try
        {
            BlobDownloadResult download = await _claims.GetBlobClient(envelope.Blob!).DownloadContentAsync(cancellationToken);
            return download.Content.ToObjectFromJson<FeedbackSubmission>(TrackelioJson.Options)
                ?? throw new PoisonMessageException($"The claim-check blob {envelope.Blob} is empty.");
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            if (await feedback.GetAsync(envelope.WorkspaceId, envelope.FeedbackId, cancellationToken) is not null)
            {
                return null; // enriched, and the blob removed, by an earlier delivery
            }
            throw new PoisonMessageException($"The claim-check blob {envelope.Blob} does not exist.", ex);
        }
        catch (JsonException ex)
        {
            throw new PoisonMessageException($"The claim-check blob {envelope.Blob} is not a submission.", ex);
        }
    }

    private async Task<(FeedbackRecord Record, FeedbackLogs Logs)> EnrichAsync(FeedbackSubmission submission, CancellationToken cancellationToken)
    {
        // The widget's current limits apply (cached for a few seconds); a widget deleted meanwhile leaves the defaults.
        var limits = await widgetLimits.GetAsync(submission.WorkspaceId, submission.WidgetId, cancellationToken);
        var (console, _, _) = LogLimits.TrimConsole(submission.ConsoleLogs, limits);
        var (network, _, _) = LogLimits.TrimNetwork(submission.NetworkLogs, limits);

        var redactions = 0;
        var redactedConsole = console.Select(entry => entry with { Message = SecretRedactor.RedactInto(entry.Message, ref redactions)! }).ToList();
        var redactedNetwork = network.Select(entry => RedactNetwork(entry, ref redactions)).ToList();

        var found = new List<AttachmentRef>();
        var missing = new List<string>();
        foreach (var id in submission.AttachmentIds)
        {
            var attachment = await attachments.GetAsync(submission.WorkspaceId, id, cancellationToken);
            if (attachment is not null && attachment.WidgetId == submission.WidgetId)
            {
                // Before the record exists: an attached upload is never removed as unused.
                await attachments.MarkAttachedAsync(submission.WorkspaceId, attachment.Id, cancellationToken);
                found.Add(new AttachmentRef(attachment.Id, attachment.Kind, attachment.ContentType, attachment.Size));
            }
            else
            {
                missing.Add(id);
            }
        }

        var now = time.GetUtcNow();
        var record = new FeedbackRecord
        {
            Id = submission.Id,
            WorkspaceId = submission.WorkspaceId,
            WidgetId = submission.WidgetId,
            Source = "widget",
            Title = submission.Title,
            Body = submission.Description,
            ItemType = submission.ItemType,
            Submitter = submission.Submitter,
            Page = submission.Page is { } page ? page with { Url = SecretRedactor.RedactInto(page.Url, ref redactions), Referrer = SecretRedactor.RedactInto(page.Referrer, ref redactions) } : null,
            Viewport = submission.Viewport,
            Browser = submission.Browser,
            UserAgent = submission.UserAgent,
            Client = submission.UserAgent is null ? null : userAgents.Parse(submission.UserAgent),
            Element = submission.Element,
            SessionToken = submission.SessionToken,
            Attachments = found,
            MissingAttachments = missing,
            Logs = new LogSummary(redactedConsole.Count, redactedNetwork.Count, redactions, submission.Truncated,
                TableFeedbackStore.LogsBlobName(submission.WorkspaceId, submission.Id)),
            Metadata = submission.Metadata,
            Origin = submission.Origin,
            Audit = [new AuditEntry("created", "widget", submission.ReceivedAt)],
            CreatedAt = submission.ReceivedAt,
            UpdatedAt = now,
        };
        return (record, new FeedbackLogs(redactedConsole, redactedNetwork));
    }

    private static NetworkLogEntry RedactNetwork(NetworkLogEntry entry, ref int redactions)
    {
        var count = redactions;
        Dictionary<string, string>? Headers(IReadOnlyDictionary<string, string>? headers)
        {
            if (headers is null)
            {
                return null;
            }
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in headers)
            {
                if (SecretRedactor.IsSecretHeader(name))
                {
                    count++;
                    result[name] = SecretRedactor.Redacted;
                }
                else
                {
                    result[name] = SecretRedactor.RedactInto(value, ref count)!;
                }
            }
            return result;
        }

        var redacted = entry with
        {
            Url = SecretRedactor.RedactInto(entry.Url, ref count),
            RequestHeaders = Headers(entry.RequestHeaders),
            ResponseHeaders = Headers(entry.ResponseHeaders),
            RequestBody = SecretRedactor.RedactInto(entry.RequestBody, ref count),
            ResponseBody = SecretRedactor.RedactInto(entry.ResponseBody, ref count),
        };
        redactions = count;
        return redacted;
    }
}
