using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;

namespace Trackelio.Functions.Widget.Upload;

/// <summary>What <c>POST /v1/widget/upload</c> answers.</summary>
public sealed record UploadedAttachment(string Id, string Kind, string ContentType, long Size);

/// <summary>
/// <c>POST /v1/widget/upload</c>: a screenshot or recording, as <c>multipart/form-data</c>
/// (field <c>file</c>) or as the raw body. The type is decided by the leading bytes (PNG,
/// JPEG, WebP → screenshot; WebM, MP4 → recording; anything else 415), the content is streamed
/// to Blob Storage in blocks (memory does not grow with its size), and going over the widget's
/// limit for its kind is 413 with nothing stored.
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class UploadEndpoint
{
    /// <summary>Room for multipart boundaries and part headers around the file.</summary>
    private const long MultipartOverhead = 64 * 1024;

    [Function("WidgetUpload")]
    [EndpointSummary("Upload a screenshot or recording")]
    [BinaryRequestBody("A PNG, JPEG or WebP screenshot or a WebM or MP4 recording, raw or as the form field 'file'; its type is read from its bytes.")]
    [ProducesResponseType<Envelope<UploadedAttachment>>(StatusCodes.Status201Created)]
    [LongStorageWork]
    public static async Task<IResult> Upload([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/widget/upload")] HttpRequest req, HttpContext http, CurrentWidget current, IAttachmentStore attachments, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var limits = current.Widget.Config.Limits;
        var largest = Math.Max(limits.ScreenshotBytes, limits.RecordingBytes);
        if (http.Request.ContentLength > largest + MultipartOverhead)
        {
            return ApiError.TooLarge($"Uploads are limited to {limits.ScreenshotBytes} bytes for screenshots and {limits.RecordingBytes} for recordings.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = largest + MultipartOverhead;
        }

        var (source, sourceError) = await OpenFileAsync(http.Request, cancellationToken);
        if (sourceError is not null)
        {
            return sourceError;
        }

        var head = new byte[MediaSniffer.HeaderLength];
        var headLength = await source!.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        if (headLength == 0)
        {
            return ApiError.BadRequest("empty_file", "The upload is empty.");
        }
        var type = MediaSniffer.Detect(head.AsSpan(0, headLength));
        if (type is null)
        {
            return ApiError.UnsupportedMediaType("Only PNG, JPEG and WebP screenshots and WebM and MP4 recordings are accepted.");
        }

        var limit = type.Kind == AttachmentKind.Recording ? limits.RecordingBytes : limits.ScreenshotBytes;
        var content = new LimitedStream(head.AsMemory(0, headLength), source, limit);
        try
        {
            var id = Ids.New(Ids.Attachment, time.GetUtcNow());
            var saved = await attachments.SaveAsync(current.WorkspaceId, current.WidgetId, id, type, content, cancellationToken);
            var body = new UploadedAttachment(saved.Id, saved.Kind.ToString().ToLowerInvariant(), saved.ContentType, saved.Size);
            return ApiResults.Created($"/v1/attachments/{saved.Id}", body);
        }
        catch (PayloadTooLargeException ex)
        {
            return ApiError.TooLarge($"A {type.Kind.ToString().ToLowerInvariant()} may be at most {ex.Limit} bytes.");
        }
    }

    /// <summary>The file's bytes: the <c>file</c> part of a multipart body, or the raw body.</summary>
    private static async Task<(Stream? Source, ApiError? Error)> OpenFileAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (request.Body, null);
        }

        var boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            return (null, ApiError.BadRequest("invalid_multipart", "The multipart body has no boundary."));
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            for (var section = await reader.ReadNextSectionAsync(cancellationToken); section is not null; section = await reader.ReadNextSectionAsync(cancellationToken))
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    && HeaderUtilities.RemoveQuotes(disposition.Name).Equals("file", StringComparison.Ordinal))
                {
                    return (section.Body, null);
                }
            }
        }
        catch (IOException)
        {
            return (null, ApiError.BadRequest("invalid_multipart", "The multipart body is malformed."));
        }
        catch (InvalidDataException)
        {
            return (null, ApiError.BadRequest("invalid_multipart", "The multipart body is malformed."));
        }
        return (null, ApiError.Validation([new FieldError("file", "is required (a multipart field named file)")]));
    }
}
