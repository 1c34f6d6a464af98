using System.Buffers;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Trackelio.Functions.Api;

/// <summary>
/// Reads a JSON request body within a size limit, without trusting <c>Content-Length</c>:
/// too large → 413, not JSON → 415, malformed → 400, never a 5xx.
/// </summary>
public static class JsonBody
{
    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJsonOrText(request.ContentType))
        {
            return (null, ApiError.UnsupportedMediaType("Send the body as application/json."));
        }
        if (request.ContentLength > maxBytes)
        {
            return (null, ApiError.TooLarge($"The body is larger than {maxBytes} bytes."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1, request.ContentLength + 1 ?? 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, ApiError.TooLarge($"The body is larger than {maxBytes} bytes."));
                    }
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }
                length += read;
                if (length > maxBytes)
                {
                    return (null, ApiError.TooLarge($"The body is larger than {maxBytes} bytes."));
                }
            }

            if (length == 0)
            {
                return (null, ApiError.BadRequest("invalid_json", "The body is empty; send a JSON object."));
            }
            try
            {
                // The document points into the bytes it parsed: give it its own copy, not the pooled buffer.
                var document = JsonDocument.Parse(buffer.AsSpan(0, length).ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    document.Dispose();
                    return (null, ApiError.BadRequest("invalid_json", "The body must be a JSON object."));
                }
                return (document, null);
            }
            catch (JsonException ex)
            {
                return (null, ApiError.BadRequest("invalid_json", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})."));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the body as a <typeparamref name="T"/>; a value of the wrong type is a 400 naming the field.</summary>
    public static async Task<(T? Value, ApiError? Error)> ReadAsAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
        where T : new()
    {
        var (document, error) = await ReadAsync(request, maxBytes, cancellationToken);
        if (error is not null)
        {
            return (default, error);
        }
        using (document)
        {
            try
            {
                return (document!.RootElement.Deserialize<T>(TrackelioJson.Options) ?? new T(), null);
            }
            catch (JsonException ex)
            {
                return (default, ApiError.Validation([new FieldError(ex.Path is { Length: > 2 } path ? path[2..] : "body", "has the wrong type or misses a required part")]));
            }
        }
    }

    private static bool IsJsonOrText(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.Value ?? "";
        // text/plain is what navigator.sendBeacon and preflight-free fetches send.
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("text/plain", StringComparison.OrdinalIgnoreCase);
    }
}
