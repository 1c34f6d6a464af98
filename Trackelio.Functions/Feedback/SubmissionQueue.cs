using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Trackelio.Functions.Storage.Blobs;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// What travels on the submissions queue: the submission itself when it fits in a queue
/// message, or a pointer to the blob that holds it (claim check).
/// </summary>
public sealed record SubmissionMessage
{
    public int Version { get; init; } = 1;
    public required string FeedbackId { get; init; }
    public required string WorkspaceId { get; init; }
    public FeedbackSubmission? Submission { get; init; }
    public string? Blob { get; init; }
}

public interface ISubmissionQueue
{
    /// <summary>Makes the submission durable (queue message, plus a blob when large); returns once it is.</summary>
    Task EnqueueAsync(FeedbackSubmission submission, CancellationToken cancellationToken = default);
}

public sealed class SubmissionQueue(StorageAccount account) : ISubmissionQueue
{
    /// <summary>Message text above this goes to a blob: a queue message holds 64 KiB after base64, and the pointer needs room.</summary>
    public const int InlineLimitBytes = (64 * 1024 / 4 * 3) - 1024;

    private readonly QueueClient _queue = account.GetQueueClient(StorageNames.Queues.Submissions);
    private readonly BlobContainerClient _blobs = account.GetBlobContainerClient(StorageNames.Containers.Submissions);

    public async Task EnqueueAsync(FeedbackSubmission submission, CancellationToken cancellationToken = default)
    {
        var inline = new SubmissionMessage { FeedbackId = submission.Id, WorkspaceId = submission.WorkspaceId, Submission = submission };
        var text = JsonSerializer.Serialize(inline, TrackelioJson.Options);
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= InlineLimitBytes)
        {
            await _queue.SendMessageAsync(text, cancellationToken: cancellationToken);
            return;
        }

        var blobName = $"{submission.WorkspaceId}/{submission.Id}.json";
        await _blobs.GetBlobClient(blobName).UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(submission, TrackelioJson.Options)),
            BlobUploads.Options("application/json"), cancellationToken);
        var pointer = new SubmissionMessage { FeedbackId = submission.Id, WorkspaceId = submission.WorkspaceId, Blob = blobName };
        try
        {
            await _queue.SendMessageAsync(JsonSerializer.Serialize(pointer, TrackelioJson.Options), cancellationToken: cancellationToken);
        }
        catch
        {
            // Not accepted: take the blob back so nothing is left half-written.
            await _blobs.DeleteBlobIfExistsAsync(blobName, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }
}
