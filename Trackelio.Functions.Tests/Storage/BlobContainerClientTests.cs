using System.Security.Cryptography;
using Azure;
using Trackelio.Functions.Storage.Blobs;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Storage;

public sealed class BlobContainerClientTests : IAsyncLifetime
{
    private BlobContainerClient _container = null!;
    private BlobContainerClient _smallBlocks = null!;

    public async Task InitializeAsync()
    {
        var azurite = await AzuriteServer.GetAsync();
        var name = "c" + Guid.NewGuid().ToString("N");
        _container = new BlobContainerClient(azurite.Connection, name);
        _smallBlocks = new BlobContainerClient(azurite.Connection, name, blockSize: 64 * 1024);
        await _container.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_is_idempotent()
    {
        await _container.CreateIfNotExistsAsync();
    }

    [Fact]
    public async Task Small_upload_round_trips_with_type_and_metadata()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);

        var uploaded = await _container.UploadAsync("ws_a/att_1", new MemoryStream(bytes), "image/png", new Dictionary<string, string> { ["workspace"] = "ws_a" });
        using var download = (await _container.DownloadAsync("ws_a/att_1")).Value;
        var read = new MemoryStream();
        await download.Content.CopyToAsync(read);

        Assert.Equal(1000, uploaded.Value.Size);
        Assert.Equal(bytes, read.ToArray());
        Assert.Equal("image/png", download.Properties.ContentType);
        Assert.Equal("ws_a", download.Properties.Metadata["workspace"]);
    }

    [Fact]
    public async Task Index_tags_are_written_with_the_blob_and_replaced_without_touching_its_modified_time()
    {
        await _container.UploadAsync("tagged", new MemoryStream([1, 2, 3]), "image/png", tags: new Dictionary<string, string> { ["attached"] = "false" });
        await _smallBlocks.UploadAsync("tagged-staged", new MemoryStream(new byte[(64 * 1024 * 2) + 1]), "video/webm", tags: new Dictionary<string, string> { ["attached"] = "false" });
        var before = (await _container.GetPropertiesAsync("tagged")).Value;

        Assert.Equal("false", (await _container.GetTagsAsync("tagged"))["attached"]);
        Assert.Equal("false", (await _container.GetTagsAsync("tagged-staged"))["attached"]);

        Assert.True(await _container.SetTagsIfExistsAsync("tagged", new Dictionary<string, string> { ["attached"] = "true" }));
        var tags = await _container.GetTagsAsync("tagged");
        var after = (await _container.GetPropertiesAsync("tagged")).Value;

        Assert.Equal(new Dictionary<string, string> { ["attached"] = "true" }, tags);
        Assert.Equal(before.ETag, after.ETag);
        Assert.False(await _container.SetTagsIfExistsAsync("never-uploaded", new Dictionary<string, string> { ["attached"] = "true" }));
    }

    [Fact]
    public async Task Large_upload_is_staged_in_blocks_and_committed()
    {
        var bytes = RandomNumberGenerator.GetBytes((64 * 1024 * 3) + 123);

        var uploaded = await _smallBlocks.UploadAsync("big.webm", new MemoryStream(bytes), "video/webm");
        var properties = (await _smallBlocks.GetPropertiesAsync("big.webm")).Value;
        using var download = (await _smallBlocks.DownloadAsync("big.webm")).Value;
        var read = new MemoryStream();
        await download.Content.CopyToAsync(read);

        Assert.Equal(bytes.Length, uploaded.Value.Size);
        Assert.Equal(bytes.Length, properties.Size);
        Assert.Equal("video/webm", properties.ContentType);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(read.ToArray()));
    }

    [Fact]
    public async Task Failed_stream_leaves_no_blob_behind()
    {
        var failing = new FailingStream(RandomNumberGenerator.GetBytes(64 * 1024 * 2), failAfter: (64 * 1024 * 2) - 10);

        await Assert.ThrowsAsync<IOException>(() => _smallBlocks.UploadAsync("broken.mp4", failing, "video/mp4"));

        Assert.Null(await _smallBlocks.GetPropertiesIfExistsAsync("broken.mp4"));
    }

    [Fact]
    public async Task Upload_without_overwrite_refuses_an_existing_blob()
    {
        await _container.UploadAsync("once", new MemoryStream([1]), "application/octet-stream");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            _container.UploadAsync("once", new MemoryStream([2]), "application/octet-stream", overwrite: false));

        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task Delete_reports_whether_there_was_a_blob()
    {
        await _container.UploadAsync("gone", new MemoryStream([1]), "application/octet-stream");

        Assert.True(await _container.DeleteIfExistsAsync("gone"));
        Assert.False(await _container.DeleteIfExistsAsync("gone"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _container.GetPropertiesAsync("gone"));
        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task List_returns_the_names_under_a_prefix()
    {
        await _container.UploadAsync("ws_list/a", new MemoryStream([1]), "application/octet-stream");
        await _container.UploadAsync("ws_list/b", new MemoryStream([1]), "application/octet-stream");
        await _container.UploadAsync("ws_other/c", new MemoryStream([1]), "application/octet-stream");

        var names = new List<string>();
        await foreach (var name in _container.ListBlobNamesAsync("ws_list/"))
        {
            names.Add(name);
        }

        Assert.Equal(["ws_list/a", "ws_list/b"], names);
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= failAfter)
            {
                throw new IOException("The client went away.");
            }
            var limited = buffer[..(int)Math.Min(buffer.Length, failAfter - Position)];
            return await base.ReadAsync(limited, cancellationToken);
        }
    }
}
