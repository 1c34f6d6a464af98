using Trackelio.Functions.Attachments;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>
/// What an upload costs in storage requests and what it stores, counted by the account's own request
/// counter: anything is staged a block at a time and committed once — the SDK cannot measure a request body, so
/// even a screenshot is a block and a commit (one request more than a Put Blob, for one block of memory per upload).
/// </summary>
public sealed class UploadToBlobStorageTests
{
    private static async Task<(Attachment Saved, IReadOnlyDictionary<string, long> Requests, StorageAccount Account)> SaveAsync(byte[] content, MediaType type)
    {
        var account = (await AzuriteServer.GetAsync()).CreateAccount();
        await account.GetBlobContainerClient(StorageNames.Containers.Attachments).CreateIfNotExistsAsync();
        var before = account.Requests.Snapshot();
        var saved = await new BlobAttachmentStore(account).SaveAsync("ws_upload", "wdg_1", "att_" + Guid.NewGuid().ToString("N"), type,
            new LimitedStream(ReadOnlyMemory<byte>.Empty, new MemoryStream(content), 200L * 1024 * 1024));
        var after = account.Requests.Snapshot();
        return (saved, after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key)).Where(kv => kv.Value > 0).ToDictionary(), account);
    }

    [Fact]
    public async Task A_screenshot_is_one_block_and_its_commit()
    {
        var (saved, requests, _) = await SaveAsync(WidgetRequests.Png, new MediaType("image/png", AttachmentKind.Screenshot));

        Assert.Equal(WidgetRequests.Png.Length, saved.Size);
        Assert.Equal(new Dictionary<string, long> { ["blob:block"] = 1, ["blob:blocklist"] = 1 }, requests);
    }

    [Fact]
    public async Task A_recording_is_staged_in_1_MiB_blocks_and_stored_whole()
    {
        var recording = WidgetRequests.Recording((5 * 1024 * 1024 / 2) + 7);

        var (saved, requests, account) = await SaveAsync(recording, new MediaType("video/webm", AttachmentKind.Recording));

        Assert.Equal(recording.Length, saved.Size);
        Assert.Equal(3, requests.GetValueOrDefault("blob:block"));
        Assert.Equal(1, requests.GetValueOrDefault("blob:blocklist"));
        Assert.Equal(2, requests.Count);
        var stored = await account.GetBlobContainerClient(StorageNames.Containers.Attachments).GetBlobClient($"ws_upload/{saved.Id}").DownloadContentAsync();
        Assert.Equal(recording, stored.Value.Content.ToArray());
        Assert.Equal("video/webm", stored.Value.Details.ContentType);
    }
}
