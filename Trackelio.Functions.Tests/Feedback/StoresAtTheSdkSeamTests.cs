using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues.Models;
using Moq;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Feedback;

/// <summary>
/// Stores when storage refuses or fails between two calls, with the SDK's clients mocked (Moq) and their
/// answers built by the SDK's model factories. What Azurite can show (a real conflict, a lost response) is
/// tested against Azurite elsewhere; these are the answers it cannot be made to give at the right moment.
/// </summary>
public sealed class StoresAtTheSdkSeamTests
{
    private readonly MockStorage _storage = new();

    [Fact]
    public async Task A_taken_idempotency_key_answers_the_id_stored_first()
    {
        var table = _storage.Table(StorageNames.Tables.Idempotency);
        table.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(409, TableErrorCode.EntityAlreadyExists.ToString()));
        table.Setup(t => t.GetEntityAsync<TableEntity>("wdg_1", It.IsAny<string>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new TableEntity("wdg_1", "k") { ["FeedbackId"] = "fb_first" }, Mock.Of<Response>()));

        var id = await new TableIdempotencyStore(_storage.Account).ClaimAsync("wdg_1", "retry-key", "fb_second");

        Assert.Equal("fb_first", id);
    }

    [Fact]
    public async Task A_write_refused_on_its_only_attempt_is_not_read_back()
    {
        // No pipeline ran, so no retry: the refusal is final, and nothing is read to check it.
        var table = _storage.Table("t");
        table.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(409, TableErrorCode.EntityAlreadyExists.ToString()));

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => table.Object.AddEntityExactlyAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        table.Verify(t => t.GetEntityIfExistsAsync<TableEntity>(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_second_response_from_the_same_visitor_that_loses_the_race_is_refused_until_the_period_ends()
    {
        var now = DateTimeOffset.UtcNow;
        var table = _storage.Table(StorageNames.Tables.ResponseLimits);
        // An old claim exists (a response 40 days ago); another request renews it between our read and our write.
        table.Setup(t => t.AddEntityAsync(It.IsAny<TableEntity>(), It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(409, TableErrorCode.EntityAlreadyExists.ToString()));
        table.Setup(t => t.GetEntityIfExistsAsync<TableEntity>("wdg_1", It.IsAny<string>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(new TableEntity("wdg_1", "nps|x") { ["RespondedAt"] = now.AddDays(-40), ETag = new ETag("W/\"1\"") }, Mock.Of<Response>()));
        table.Setup(t => t.UpdateEntityAsync(It.IsAny<TableEntity>(), new ETag("W/\"1\""), TableUpdateMode.Replace, It.IsAny<CancellationToken>()))
            .ThrowsAsync(MockStorage.Refused(412, TableErrorCode.UpdateConditionNotSatisfied.ToString()));

        var next = await new TableResponseLimits(_storage.Account).TryClaimAsync("wdg_1", "nps", "visitor", now, TimeSpan.FromDays(30));

        Assert.Equal(now.AddDays(30), next);
    }

    [Fact]
    public async Task A_large_submission_whose_queue_message_is_refused_leaves_no_blob_behind()
    {
        var queue = _storage.Queue(StorageNames.Queues.Submissions);
        var container = _storage.Container(StorageNames.Containers.Submissions);
        var blob = new Mock<BlobClient>(MockBehavior.Strict);
        container.Setup(c => c.GetBlobClient(It.IsAny<string>())).Returns(blob.Object);
        blob.Setup(b => b.UploadAsync(It.IsAny<BinaryData>(), It.IsAny<BlobUploadOptions>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(BlobsModelFactory.BlobContentInfo(new ETag("\"b\""), DateTimeOffset.UtcNow, null, null, null, null, 1), Mock.Of<Response>()));
        queue.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(503, "ServerBusy"));
        container.Setup(c => c.DeleteBlobIfExistsAsync(It.IsAny<string>(), It.IsAny<DeleteSnapshotsOption>(), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(true, Mock.Of<Response>()));
        var submission = new FeedbackSubmission
        {
            Id = "fb_1",
            WorkspaceId = "ws_1",
            WidgetId = "wdg_1",
            ReceivedAt = DateTimeOffset.UtcNow,
            Description = new string('d', SubmissionQueue.InlineLimitBytes),
            ItemType = "bug",
        };

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => new SubmissionQueue(_storage.Account).EnqueueAsync(submission));

        Assert.Equal(503, ex.Status);
        container.Verify(c => c.DeleteBlobIfExistsAsync("ws_1/fb_1.json", It.IsAny<DeleteSnapshotsOption>(), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_submission_that_fits_goes_on_the_queue_as_one_message_and_no_blob()
    {
        var queue = _storage.Queue(StorageNames.Queues.Submissions);
        _storage.Container(StorageNames.Containers.Submissions);
        string? sent = null;
        queue.Setup(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback((string text, CancellationToken _) => sent = text)
            .ReturnsAsync(Response.FromValue(QueuesModelFactory.SendReceipt("m1", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(7), "p", DateTimeOffset.UtcNow), Mock.Of<Response>()));
        var submission = new FeedbackSubmission { Id = "fb_1", WorkspaceId = "ws_1", WidgetId = "wdg_1", ReceivedAt = DateTimeOffset.UtcNow, Description = "hi", ItemType = "bug" };

        await new SubmissionQueue(_storage.Account).EnqueueAsync(submission);

        Assert.Contains("\"feedback_id\":\"fb_1\"", sent, StringComparison.Ordinal);
        queue.Verify(q => q.SendMessageAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_attachment_that_is_gone_reads_as_none_and_marking_it_is_harmless()
    {
        var container = _storage.Container(StorageNames.Containers.Attachments);
        var blob = new Mock<BlobClient>(MockBehavior.Strict);
        container.Setup(c => c.GetBlobClient("ws_1/att_1")).Returns(blob.Object);
        blob.Setup(b => b.GetPropertiesAsync(null, It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(404, "BlobNotFound"));
        blob.Setup(b => b.DownloadStreamingAsync(It.IsAny<BlobDownloadOptions>(), It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(404, "BlobNotFound"));
        blob.Setup(b => b.SetTagsAsync(It.IsAny<IDictionary<string, string>>(), null, It.IsAny<CancellationToken>())).ThrowsAsync(MockStorage.Refused(404, "BlobNotFound"));
        var store = new BlobAttachmentStore(_storage.Account);

        Assert.Null(await store.GetAsync("ws_1", "att_1"));
        Assert.Null(await store.OpenReadAsync("ws_1", "att_1"));
        await store.MarkAttachedAsync("ws_1", "att_1");
        blob.Verify(b => b.SetTagsAsync(It.Is<IDictionary<string, string>>(t => t[BlobAttachmentStore.AttachedTag] == "true"), null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_attachment_reads_its_widget_kind_type_and_size_from_the_blob_properties()
    {
        var container = _storage.Container(StorageNames.Containers.Attachments);
        var blob = new Mock<BlobClient>(MockBehavior.Strict);
        container.Setup(c => c.GetBlobClient("ws_1/att_1")).Returns(blob.Object);
        var properties = BlobsModelFactory.BlobProperties(contentLength: 1234, contentType: "video/webm",
            metadata: new Dictionary<string, string> { ["widget"] = "wdg_1", ["kind"] = "recording" });
        blob.Setup(b => b.GetPropertiesAsync(null, It.IsAny<CancellationToken>())).ReturnsAsync(Response.FromValue(properties, Mock.Of<Response>()));

        var attachment = await new BlobAttachmentStore(_storage.Account).GetAsync("ws_1", "att_1");

        Assert.Equal(new Attachment("att_1", "ws_1", "wdg_1", AttachmentKind.Recording, "video/webm", 1234), attachment);
    }
}
