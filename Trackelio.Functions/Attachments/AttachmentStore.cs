using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Blobs;

namespace Trackelio.Functions.Attachments;

/// <summary>An uploaded screenshot or recording, and the widget (project) it belongs to.</summary>
public sealed record Attachment(string Id, string WorkspaceId, string WidgetId, AttachmentKind Kind, string ContentType, long Size);

public interface IAttachmentStore
{
    /// <summary>Streams <paramref name="content"/> to storage; nothing is stored if reading it fails.</summary>
    Task<Attachment> SaveAsync(string workspaceId, string widgetId, string attachmentId, MediaType type, LimitedStream content, CancellationToken cancellationToken = default);

    /// <summary>The attachment, or null when it does not exist in this workspace.</summary>
    Task<Attachment?> GetAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that feedback or a message refers to the attachment, so that storage's lifecycle
    /// rule for uploads never used (infra/app/storage.bicep) leaves it alone. Call it before
    /// storing what refers to it. Nothing happens when the attachment no longer exists.
    /// </summary>
    Task MarkAttachedAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default);

    Task DeleteAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default);

    /// <summary>The attachment's content and content type, or null when it no longer exists.</summary>
    Task<(Stream Content, string ContentType)?> OpenReadAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Attachments as blobs <c>attachments/{workspace}/{att_id}</c>, with their widget and kind in the
/// blob's metadata, and the blob index tag <c>attached</c>: <c>false</c> from the upload until
/// feedback or a message refers to it, then <c>true</c>. Storage's lifecycle rule deletes blobs
/// still tagged <c>attached=false</c> some days after upload (a rule can filter on index tags,
/// not on metadata; a tag change leaves the blob's last-modified time alone).
/// </summary>
public sealed class BlobAttachmentStore(StorageAccount account) : IAttachmentStore
{
    /// <summary>The blob index tag the lifecycle rule filters on.</summary>
    public const string AttachedTag = "attached";

    private static readonly Dictionary<string, string> NotAttached = new() { [AttachedTag] = "false" };
    private static readonly Dictionary<string, string> Attached = new() { [AttachedTag] = "true" };

    private readonly BlobContainerClient _container = account.GetBlobContainerClient(StorageNames.Containers.Attachments);

    public async Task<Attachment> SaveAsync(string workspaceId, string widgetId, string attachmentId, MediaType type, LimitedStream content, CancellationToken cancellationToken = default)
    {
        var metadata = new Dictionary<string, string>
        {
            ["widget"] = widgetId,
            ["kind"] = type.Kind.ToString().ToLowerInvariant(),
        };
        // Streamed a block at a time by the SDK (BlobUploads.Options). It cannot measure a request body, so even a
        // screenshot is staged as one block and committed: two requests. Reading the first block ahead to send small
        // ones in one request would hold a second block per upload in flight (StalledBodiesMemoryTests measured it).
        await _container.GetBlobClient(BlobName(workspaceId, attachmentId))
            .UploadAsync(content, BlobUploads.Options(type.ContentType, metadata, new Dictionary<string, string>(NotAttached), overwrite: false), cancellationToken);
        return new Attachment(attachmentId, workspaceId, widgetId, type.Kind, type.ContentType, content.BytesRead);
    }

    public async Task<Attachment?> GetAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default)
    {
        BlobProperties properties;
        try
        {
            properties = await _container.GetBlobClient(BlobName(workspaceId, attachmentId)).GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
        var kind = properties.Metadata.TryGetValue("kind", out var k) && k == "recording" ? AttachmentKind.Recording : AttachmentKind.Screenshot;
        return new Attachment(attachmentId, workspaceId, (properties.Metadata.TryGetValue("widget", out var w) ? w : ""), kind, properties.ContentType, properties.ContentLength);
    }

    public async Task MarkAttachedAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default)
    {
        try
        {
            // Replaces the tags; the blob's last-modified time and ETag stay as they are.
            await _container.GetBlobClient(BlobName(workspaceId, attachmentId)).SetTagsAsync(Attached, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
        }
    }

    public Task DeleteAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default) =>
        _container.DeleteBlobIfExistsAsync(BlobName(workspaceId, attachmentId), DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);

    private static string BlobName(string workspaceId, string attachmentId) => $"{workspaceId}/{attachmentId}";

    public async Task<(Stream Content, string ContentType)?> OpenReadAsync(string workspaceId, string attachmentId, CancellationToken cancellationToken = default)
    {
        try
        {
            BlobDownloadStreamingResult download = await _container.GetBlobClient(BlobName(workspaceId, attachmentId)).DownloadStreamingAsync(cancellationToken: cancellationToken);
            return (download.Content, download.Details.ContentType);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }
}
