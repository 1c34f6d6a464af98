using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Attachments;

namespace Trackelio.Functions.Management.Feedback;

/// <summary>
/// <c>GET /v1/attachments/{id}/content?ws=…&amp;expires=…&amp;sig=…</c>: streams an attachment for a
/// link <see cref="AttachmentLinks"/> made. The link is the permission (it is short-lived and
/// signed), so no API key is needed — an image tag can show a screenshot.
/// </summary>
[Tags("Feedback")]
public static class AttachmentDownload
{

    [Function("DownloadAttachment")]
    [EndpointSummary("Download an attachment through a signed link from GET /v1/feedback/{id}")]
    [SecurityScheme(null)] // the link's signature is the credential
    [ProducesResponseType<Stream>(StatusCodes.Status200OK, "image/png", "image/jpeg", "image/webp", "video/webm", "video/mp4")] // MediaSniffer.ContentTypes (a test holds them together)
    [ErrorResponses(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)]
    public static async Task<IResult> DownloadAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/attachments/{id}/content")] HttpRequest req, string id, Query<SignedLink> link, HttpContext http, AttachmentLinks links, IAttachmentStore attachments,
        CancellationToken cancellationToken)
    {
        var (workspaceId, expires, signature) = link.Value;
        if (!Ids.IsValid(id, Ids.Attachment) || !Ids.IsValid(workspaceId, Ids.Workspace) || !links.IsValid(workspaceId, id, expires, signature))
        {
            return ApiError.NotFound("The link is invalid or has expired; get a new one from GET /v1/feedback/{id}.");
        }
        if (await attachments.OpenReadAsync(workspaceId, id, cancellationToken) is not { } download)
        {
            return ApiError.NotFound("The attachment no longer exists.");
        }
        http.Response.Headers.CacheControl = "private, max-age=300";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Stream(download.Content, download.ContentType, fileDownloadName: null);
    }
}

/// <summary>The signed link's parameters. Never a 400: a link that does not check out is simply not found.</summary>
public sealed record SignedLink(string Workspace, string Expires, string Signature) : IQueryRequest<SignedLink>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("ws", "The workspace (from the link).", Required: true),
        new("expires", "When the link expires, in Unix seconds (from the link).", QueryValue.Integer, Required: true),
        new("sig", "The link's signature (from the link).", Required: true),
    ];

    public static SignedLink? Read(QueryReader query, FieldReader fields) => new(query["ws"] ?? "", query["expires"] ?? "", query["sig"] ?? "");
}
