using System.Net.Http.Json;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>Requests as the widget sends them.</summary>
internal static class WidgetRequests
{
    public static HttpRequestMessage Submit(string projectKey, object body, string? origin = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/submit")
        {
            Content = JsonContent.Create(body, options: TrackelioJson.Options),
        };
        request.Headers.Add("X-Project-Key", projectKey);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return request;
    }

    public static HttpRequestMessage Upload(string projectKey, byte[] bytes, string contentType, bool multipart = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/upload");
        request.Headers.Add("X-Project-Key", projectKey);
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (multipart)
        {
            request.Content = new MultipartFormDataContent { { file, "file", "capture.bin" } };
        }
        else
        {
            request.Content = file;
        }
        return request;
    }

    public static object MinimalFeedback(string description = "The checkout button does nothing") => new
    {
        title = "Checkout broken",
        description,
        item_type = "bug",
    };

    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    public static byte[] Recording(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        byte[] header = [0x1A, 0x45, 0xDF, 0xA3];
        header.CopyTo(bytes, 0);
        return bytes;
    }
}
