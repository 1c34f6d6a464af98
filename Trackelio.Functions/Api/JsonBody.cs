using System.Buffers;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Trackelio.Functions.Api;

/// <summary>
/// Reads a JSON request body within a size limit: too large → 413, not JSON → 415, malformed →
/// 400, text that is not Unicode → 400 naming the field (see <see cref="JsonText"/>), never a 5xx.
/// A declared <c>Content-Length</c> over the limit is refused before reading (the server holds the
/// client to the length it declared); a chunked body is counted as it comes.
/// An object with the same key twice is malformed: which value counts is not the client's to leave open.
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

        if (request.ContentLength is { } contentLength)
        {
            return await ReadKnownLengthAsync(request, (int)contentLength, cancellationToken);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes + 1, 16 * 1024));
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

            // The document points into the bytes it parsed: give it its own copy, not the pooled buffer.
            return Parse(buffer.AsSpan(0, length).ToArray());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// With a Content-Length (already checked against the limit, and enforced by the server) the
    /// body is read once into an array of exactly that size, which the document then keeps: one
    /// copy of the body in memory, not a pooled buffer rounded up to a power of two plus a copy.
    /// </summary>
    private static async Task<(JsonDocument? Document, ApiError? Error)> ReadKnownLengthAsync(HttpRequest request, int contentLength, CancellationToken cancellationToken)
    {
        var bytes = new byte[contentLength];
        var length = await request.Body.ReadAtLeastAsync(bytes, contentLength, throwOnEndOfStream: false, cancellationToken);
        return Parse(length == contentLength ? bytes : bytes.AsMemory(0, length));
    }

    private static (JsonDocument? Document, ApiError? Error) Parse(ReadOnlyMemory<byte> body)
    {
        if (body.Length == 0)
        {
            return (null, ApiError.BadRequest("invalid_json", "The body is empty; send a JSON object."));
        }
        try
        {
            var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                return (null, ApiError.BadRequest("invalid_json", "The body must be a JSON object."));
            }
            if (JsonText.FindInvalid(document.RootElement) is { Count: > 0 } invalid)
            {
                document.Dispose();
                return (null, ApiError.Validation(invalid));
            }
            return (document, null);
        }
        catch (JsonException ex)
        {
            return (null, ApiError.BadRequest("invalid_json", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})."));
        }
        catch (InvalidOperationException)
        {
            // The duplicate-key check compares names as text, and a name that is not Unicode (an
            // escaped lone surrogate) cannot be read as text: say which field, as for values.
            return (null, InvalidTextIn(body));
        }
    }

    private static ApiError InvalidTextIn(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (JsonText.FindInvalid(document.RootElement) is { Count: > 0 } invalid)
            {
                return ApiError.Validation(invalid);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
        }
        return ApiError.Validation([new FieldError("body", JsonText.Issue)]);
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
