using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage.Blobs;

/// <summary>
/// One blob container, over Azure.Core's pipeline. Immutable and thread-safe; share one
/// instance per container. Uploads are streamed in blocks, so memory does not grow with
/// the size of what is uploaded.
/// </summary>
public class BlobContainerClient
{
    /// <summary>The size of each staged block; also the most an upload holds in memory.</summary>
    /// <summary>
    /// 1 MiB: what one upload in flight holds in memory. Smaller blocks mean more requests per
    /// blob (a 100 MiB recording is 100 of them), larger ones more memory per anonymous upload.
    /// </summary>
    public const int DefaultBlockSize = 1024 * 1024;

    /// <summary>
    /// Block buffers come from a pool of their own that keeps at most 8 idle buffers per size, so
    /// a burst of uploads does not leave its buffers held by the shared pool (per core) afterwards.
    /// </summary>
    private static readonly ArrayPool<byte> BlockPool = ArrayPool<byte>.Create(DefaultBlockSize, 8);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _containerUri;
    private readonly int _blockSize;

    /// <summary>For mocking.</summary>
    protected BlobContainerClient()
    {
        _pipeline = null!;
        _containerUri = null!;
        Name = "";
    }

    public BlobContainerClient(StorageConnection connection, string containerName, StorageClientOptions? options = null, int blockSize = DefaultBlockSize)
        : this(StoragePipeline.Build(connection, options ?? new StorageClientOptions(), table: false), connection.BlobEndpoint, containerName, blockSize)
    {
    }

    internal BlobContainerClient(HttpPipeline pipeline, Uri endpoint, string containerName, int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1024);
        _pipeline = pipeline;
        _containerUri = StoragePipeline.Append(endpoint, containerName);
        _blockSize = blockSize;
        Name = containerName;
    }

    public string Name { get; }

    /// <summary>Creates the container (private); does nothing when it exists.</summary>
    public virtual async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Put, WithQuery(_containerUri, "restype=container"));
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
    }

    /// <summary>
    /// Uploads <paramref name="content"/> as a block blob, reading it one block at a time.
    /// A stream that fits in one block is sent with one request; a longer one is staged
    /// block by block and committed at the end, so a failed or abandoned upload leaves no
    /// blob behind (uncommitted blocks are discarded by the service). <paramref name="tags"/>
    /// become the blob's index tags, written with the blob.
    /// </summary>
    public virtual async Task<Response<BlobProperties>> UploadAsync(string blobName, Stream content, string contentType,
        IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = true, IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken cancellationToken = default)
    {
        var buffer = BlockPool.Rent(_blockSize);
        try
        {
            var length = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            if (length < _blockSize)
            {
                using var put = CreateMessage(RequestMethod.Put, BlobUri(blobName));
                put.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
                SetBlobHeaders(put.Request, contentType, metadata, overwrite, tags);
                put.Request.Content = RequestContent.Create(new ReadOnlyMemory<byte>(buffer, 0, length));
                var response = await StoragePipeline.SendAsync(_pipeline, put, cancellationToken).ConfigureAwait(false);
                return Response.FromValue(new BlobProperties(blobName, length, contentType, response.Headers.ETag ?? default, metadata ?? new Dictionary<string, string>()), response);
            }

            var blockIds = new List<string>();
            long total = 0;
            while (length > 0)
            {
                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("d8", CultureInfo.InvariantCulture)));
                using (var stage = CreateMessage(RequestMethod.Put, WithQuery(BlobUri(blobName), "comp=block&blockid=" + Uri.EscapeDataString(blockId))))
                {
                    stage.Request.Content = RequestContent.Create(new ReadOnlyMemory<byte>(buffer, 0, length));
                    await StoragePipeline.SendAsync(_pipeline, stage, cancellationToken).ConfigureAwait(false);
                }
                blockIds.Add(blockId);
                total += length;
                length = await FillAsync(content, buffer, cancellationToken).ConfigureAwait(false);
            }

            var blockList = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
            foreach (var id in blockIds)
            {
                blockList.Append("<Latest>").Append(id).Append("</Latest>");
            }
            blockList.Append("</BlockList>");

            using var commit = CreateMessage(RequestMethod.Put, WithQuery(BlobUri(blobName), "comp=blocklist"));
            SetBlobHeaders(commit.Request, contentType, metadata, overwrite, tags);
            commit.Request.Headers.SetValue("Content-Type", "application/xml");
            commit.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(blockList.ToString()));
            var committed = await StoragePipeline.SendAsync(_pipeline, commit, cancellationToken).ConfigureAwait(false);
            return Response.FromValue(new BlobProperties(blobName, total, contentType, committed.Headers.ETag ?? default, metadata ?? new Dictionary<string, string>()), committed);
        }
        finally
        {
            BlockPool.Return(buffer);
        }
    }

    /// <summary>Opens the blob for reading; the caller disposes the result. Throws with status 404 when absent.</summary>
    public virtual async Task<Response<BlobDownload>> DownloadAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var message = CreateMessage(RequestMethod.Get, BlobUri(blobName));
        message.BufferResponse = false;
        try
        {
            var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
            var properties = ReadProperties(blobName, response);
            var stream = message.ExtractResponseContent() ?? Stream.Null;
            return Response.FromValue(new BlobDownload(properties, stream), response);
        }
        finally
        {
            message.Dispose();
        }
    }

    /// <summary>The blob's size, type, ETag and metadata. Throws with status 404 when absent.</summary>
    public virtual async Task<Response<BlobProperties>> GetPropertiesAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Head, BlobUri(blobName));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ReadProperties(blobName, response), response);
    }

    /// <summary>The blob's properties, or null when it does not exist.</summary>
    public virtual async Task<BlobProperties?> GetPropertiesIfExistsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await GetPropertiesAsync(blobName, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Replaces the blob's index tags (its last-modified time and ETag stay as they are); false when there is no such blob.</summary>
    public virtual async Task<bool> SetTagsIfExistsAsync(string blobName, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        var body = new XElement("Tags", new XElement("TagSet",
            tags.Select(tag => new XElement("Tag", new XElement("Key", tag.Key), new XElement("Value", tag.Value)))));
        using var message = CreateMessage(RequestMethod.Put, WithQuery(BlobUri(blobName), "comp=tags"));
        message.Request.Headers.SetValue("Content-Type", "application/xml");
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting)));
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The blob's index tags. Throws with status 404 when absent.</summary>
    public virtual async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, WithQuery(BlobUri(blobName), "comp=tags"));
        var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
        var document = XDocument.Load(response.ContentStream!);
        return (document.Root?.Element("TagSet")?.Elements("Tag") ?? [])
            .ToDictionary(tag => tag.Element("Key")?.Value ?? "", tag => tag.Element("Value")?.Value ?? "", StringComparer.Ordinal);
    }

    /// <summary>Deletes the blob (and its snapshots); true when there was one.</summary>
    public virtual async Task<bool> DeleteIfExistsAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, BlobUri(blobName));
        message.Request.Headers.SetValue("x-ms-delete-snapshots", "include");
        try
        {
            await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>The names of the blobs whose names start with <paramref name="prefix"/>, following the service's markers.</summary>
    public virtual async IAsyncEnumerable<string> ListBlobNamesAsync(string? prefix = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        do
        {
            var query = "restype=container&comp=list&maxresults=1000"
                + (prefix is null ? "" : "&prefix=" + Uri.EscapeDataString(prefix))
                + (marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker));
            using var message = CreateMessage(RequestMethod.Get, WithQuery(_containerUri, query));
            var response = await StoragePipeline.SendAsync(_pipeline, message, cancellationToken).ConfigureAwait(false);
            var document = XDocument.Load(response.ContentStream!);
            foreach (var name in document.Root?.Element("Blobs")?.Elements("Blob").Select(b => b.Element("Name")?.Value) ?? [])
            {
                if (name is not null)
                {
                    yield return name;
                }
            }
            marker = document.Root?.Element("NextMarker")?.Value is { Length: > 0 } next ? next : null;
        }
        while (marker is not null);
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }

    private static void SetBlobHeaders(Request request, string contentType, IReadOnlyDictionary<string, string>? metadata, bool overwrite,
        IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is { Count: > 0 })
        {
            request.Headers.SetValue("x-ms-tags", string.Join('&', tags.Select(tag => Uri.EscapeDataString(tag.Key) + "=" + Uri.EscapeDataString(tag.Value))));
        }
        request.Headers.SetValue("x-ms-blob-content-type", contentType);
        if (!overwrite)
        {
            request.Headers.SetValue("If-None-Match", "*");
        }
        foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
        {
            request.Headers.SetValue("x-ms-meta-" + name, value);
        }
    }

    private static BlobProperties ReadProperties(string blobName, Response response)
    {
        var headers = response.Headers;
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers)
        {
            if (header.Name.StartsWith("x-ms-meta-", StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name["x-ms-meta-".Length..]] = header.Value;
            }
        }
        return new BlobProperties(blobName, headers.ContentLength ?? 0, headers.ContentType ?? "application/octet-stream",
            headers.ETag ?? default, metadata);
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri) =>
        StoragePipeline.CreateMessage(_pipeline, method, uri, StoragePipeline.BlobQueueVersion);

    // A blob name may hold '/' as a virtual folder separator: each segment is escaped on its own.
    private Uri BlobUri(string blobName) => StoragePipeline.Append(_containerUri, blobName.Split('/'));

    private static Uri WithQuery(Uri uri, string query) => new UriBuilder(uri) { Query = query }.Uri;
}
