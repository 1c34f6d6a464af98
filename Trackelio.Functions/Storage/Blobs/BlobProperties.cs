using Azure;

namespace Trackelio.Functions.Storage.Blobs;

/// <summary>What the service says about one blob.</summary>
public sealed record BlobProperties(string Name, long Size, string ContentType, ETag ETag, IReadOnlyDictionary<string, string> Metadata);

/// <summary>An open download: the blob's properties and its content, which the caller disposes.</summary>
public sealed record BlobDownload(BlobProperties Properties, Stream Content) : IDisposable
{
    public void Dispose() => Content.Dispose();
}
