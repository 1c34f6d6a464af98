using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;

namespace Trackelio.Functions.Storage.Blobs;

/// <summary>How the app uploads blobs: streamed one block at a time, so memory does not grow with what is uploaded.</summary>
public static class BlobUploads
{
    /// <summary>
    /// 1 MiB: what one upload in flight holds in memory. Smaller blocks mean more requests per blob
    /// (a 100 MiB recording is 100 of them), larger ones more memory per anonymous upload.
    /// </summary>
    public const int BlockSize = 1024 * 1024;

    /// <summary>
    /// The options of an upload: content that fits in one block goes in one request, longer content
    /// is staged block by block (one at a time) and committed at the end, so a failed or abandoned
    /// upload leaves no blob behind (the service discards uncommitted blocks). <paramref name="tags"/>
    /// become the blob's index tags, written with it; <paramref name="overwrite"/> false refuses (409) an existing blob.
    /// </summary>
    public static BlobUploadOptions Options(string contentType, IDictionary<string, string>? metadata = null,
        IDictionary<string, string>? tags = null, bool overwrite = true) => new()
    {
        HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
        Metadata = metadata,
        Tags = tags,
        Conditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        TransferOptions = new StorageTransferOptions
        {
            InitialTransferSize = BlockSize,
            MaximumTransferSize = BlockSize,
            MaximumConcurrency = 1,
        },
    };
}
