using Microsoft.Azure.Functions.Worker;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Enrichment;

public sealed class UploadRetentionOptions
{
    /// <summary>Days an upload may stay unattached before it is deleted (infra's <c>staleBlobRetentionDays</c>, the lifecycle rule's number).</summary>
    public int UnattachedDays { get; set; } = 7;
}

/// <summary>What one sweep did: uploads from before tagging it tagged, and unattached uploads it deleted.</summary>
public sealed record UploadSweepResult(int Tagged, int Deleted);

/// <summary>
/// Deletes uploads never referred to by feedback or a message, <see cref="UploadRetentionOptions.UnattachedDays"/> after
/// upload. Uploads carry the blob index tag <c>attached</c> (<see cref="BlobAttachmentStore"/>); storage's lifecycle rule
/// deletes those still <c>false</c> in Azure, and this sweep finds them with <c>FindBlobsByTags</c> wherever no rule runs
/// (Azurite, an account without the rule). The delete is conditional on the tag, so an upload attached meanwhile stays.
/// Uploads made before the tag existed carry none, and no rule can match them: the sweep tags each by whether its
/// workspace's feedback (deleted too) or messages refer to it, after which they age out like any other. Once a listing
/// finds none untagged (uploads are always tagged now), an instance stops looking.
/// </summary>
public sealed class UnattachedUploadSweep(StorageAccount account, IFeedbackStore feedback, ConversationStore conversations, TimeProvider time,
    IOptions<UploadRetentionOptions> options)
{
    private static readonly string NotAttached = $"\"{BlobAttachmentStore.AttachedTag}\"='false'";
    private readonly BlobContainerClient _container = account.GetBlobContainerClient(StorageNames.Containers.Attachments);
    private bool _untaggedSettled;

    public async Task<UploadSweepResult> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var tagged = _untaggedSettled ? 0 : await TagUntaggedAsync(cancellationToken);
        return new UploadSweepResult(tagged, await DeleteUnattachedAsync(cancellationToken));
    }

    private async Task<int> TagUntaggedAsync(CancellationToken cancellationToken)
    {
        // Blobs are listed in name order, so a workspace's ({workspace}/{att_id}) come together: each workspace's
        // untagged uploads are tagged as its names end, and only one workspace's are held at a time.
        var tagged = 0;
        var workspace = new List<(string WorkspaceId, string AttachmentId)>();
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Tags }, cancellationToken))
        {
            if (blob.Tags?.ContainsKey(BlobAttachmentStore.AttachedTag) == true || blob.Name.Split('/') is not [var workspaceId, var attachmentId])
            {
                continue;
            }
            if (workspace.Count > 0 && workspace[0].WorkspaceId != workspaceId)
            {
                tagged += await TagAsync(workspace, cancellationToken);
                workspace.Clear();
            }
            workspace.Add((workspaceId, attachmentId));
        }
        if (workspace.Count > 0)
        {
            tagged += await TagAsync(workspace, cancellationToken);
        }
        _untaggedSettled = tagged == 0;
        return tagged;
    }

    /// <summary>Tags one workspace's untagged uploads by whether its feedback or messages refer to them.</summary>
    private async Task<int> TagAsync(IReadOnlyList<(string WorkspaceId, string AttachmentId)> uploads, CancellationToken cancellationToken)
    {
        var referenced = await ReferencedAsync(uploads[0].WorkspaceId, cancellationToken);
        foreach (var (workspaceId, attachmentId) in uploads)
        {
            var tags = new Dictionary<string, string> { [BlobAttachmentStore.AttachedTag] = referenced.Contains(attachmentId) ? "true" : "false" };
            try
            {
                await _container.GetBlobClient($"{workspaceId}/{attachmentId}").SetTagsAsync(tags, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Deleted meanwhile.
            }
        }
        return uploads.Count;
    }

    private async Task<HashSet<string>> ReferencedAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var record in feedback.ScanAsync(workspaceId, new FeedbackQuery { IncludeDeleted = true }, cancellationToken))
        {
            ids.UnionWith(record.Attachments.Select(a => a.Id));
        }
        await foreach (var id in conversations.AttachmentIdsAsync(workspaceId, cancellationToken))
        {
            ids.Add(id);
        }
        return ids;
    }

    private async Task<int> DeleteUnattachedAsync(CancellationToken cancellationToken)
    {
        var uploadedBefore = time.GetUtcNow() - TimeSpan.FromDays(options.Value.UnattachedDays);
        var deleted = 0;
        await foreach (var item in _container.FindBlobsByTagsAsync(NotAttached, cancellationToken))
        {
            if (item.BlobName.Split('/') is not [_, var attachmentId] || !Ids.IsValid(attachmentId, Ids.Attachment) || Ids.TimeOf(attachmentId) >= uploadedBefore)
            {
                continue;
            }
            try
            {
                await _container.GetBlobClient(item.BlobName).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots,
                    new BlobRequestConditions { TagConditions = NotAttached }, cancellationToken);
                deleted++;
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Gone already, or attached since it was found.
            }
        }
        return deleted;
    }
}

/// <summary>Runs <see cref="UnattachedUploadSweep"/> every six hours (a timer-triggered function: one instance at a time).</summary>
public sealed class UnattachedUploadSweeper(UnattachedUploadSweep sweep, ILogger<UnattachedUploadSweeper> logger)
{
    public const string FunctionName = "SweepUnattachedUploads";

    [Function(FunctionName)]
    public async Task Run([TimerTrigger("0 0 */6 * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await sweep.SweepOnceAsync(cancellationToken);
        logger.LogInformation("Unattached uploads: {Deleted} deleted, {Tagged} from before tagging tagged", result.Deleted, result.Tagged);
    }
}
