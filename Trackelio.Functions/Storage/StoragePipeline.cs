using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Trackelio.Functions.Storage;

/// <summary>Builds the Azure.Core pipeline for a storage service and sends requests over it.</summary>
internal static class StoragePipeline
{
    public const string BlobQueueVersion = "2021-12-02";
    public const string TableVersion = "2019-02-02";
    private const string StorageScope = "https://storage.azure.com/.default";

    public static HttpPipeline Build(StorageConnection connection, StorageClientOptions options, bool table, HttpPipelinePolicy? counting = null)
    {
        HttpPipelinePolicy authentication = connection.AccountKey is { } key
            ? (table ? SharedKeyPolicy.SharedKeyLite(key) : SharedKeyPolicy.SharedKey(key))
            : new BearerTokenAuthenticationPolicy(
                connection.TokenCredential ?? throw new InvalidOperationException("The storage connection has no credential."),
                StorageScope);

        // The authentication policy is the last per-retry policy: each retry is signed anew.
        return HttpPipelineBuilder.Build(new HttpPipelineOptions(options)
        {
            PerRetryPolicies = { counting ?? new NoPolicy(), authentication },
            RequestFailedDetailsParser = new StorageErrorParser(),
        });
    }

    private sealed class NoPolicy : HttpPipelineSynchronousPolicy;

    public static HttpMessage CreateMessage(HttpPipeline pipeline, RequestMethod method, Uri uri, string version)
    {
        var message = pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        message.Request.Headers.SetValue("x-ms-version", version);
        return message;
    }

    /// <summary>Sends the message and throws <see cref="RequestFailedException"/> (with the storage error code) on an error status.</summary>
    public static async Task<Response> SendAsync(HttpPipeline pipeline, HttpMessage message, CancellationToken cancellationToken)
    {
        await pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (response.IsError)
        {
            throw new RequestFailedException(response);
        }
        return response;
    }

    /// <summary>Appends a path segment to a service endpoint, escaping it.</summary>
    public static Uri Append(Uri baseUri, params string[] segments)
    {
        var builder = new UriBuilder(baseUri);
        var path = builder.Path.TrimEnd('/');
        foreach (var segment in segments)
        {
            path += "/" + Uri.EscapeDataString(segment);
        }
        builder.Path = path;
        return builder.Uri;
    }
}
