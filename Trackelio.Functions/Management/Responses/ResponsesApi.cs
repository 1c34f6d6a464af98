using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Responses;

namespace Trackelio.Functions.Management.Responses;

/// <summary>
/// <c>GET /v1/responses</c>: NPS, CSAT and survey responses, with the feedback list's
/// conventions: newest first (<c>sort</c>), <c>kind</c> (comma list), <c>from</c>/<c>to</c>,
/// <c>widget_id</c>, <c>survey_id</c>; <c>page</c>/<c>limit</c> and <c>cursor</c>; <c>meta.total</c>
/// counted from keys once per 30 s.
/// </summary>
[ApiKeyAuth]
[Tags("Responses")]
public static class ResponsesApi
{
    public static readonly string[] Kinds = ["nps", "csat", "survey"];

    [Function("ListResponses")]
    [EndpointSummary("List NPS, CSAT and survey responses")]
    public static async Task<ApiResponse<IReadOnlyList<ResponseRecord>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/responses")] HttpRequest req, Query<ResponseListQuery> request, CurrentMember member, IResponseStore store, IMemoryCache cache, CancellationToken cancellationToken)
    {
        var (query, page) = request.Value;
        var after = page.After;
        if (after is null && page.Page > 1)
        {
            after = await store.SkipAsync(member.WorkspaceId, query, (page.Page - 1) * page.Limit, cancellationToken);
        }
        var total = cache.GetOrCreateAsync(("responses", member.WorkspaceId, page.Fingerprint), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            entry.Size = 1;
            return store.CountAsync(member.WorkspaceId, query, cancellationToken);
        });
        var (responses, next) = after is null && page.Page > 1
            ? ([], null)
            : await store.ListAsync(member.WorkspaceId, query with { After = after }, page.Limit, cancellationToken);
        return ApiResults.Page(responses, page.Page, page.Limit, await total, page.Links(next));
    }

    [Function("GetResponse")]
    [EndpointSummary("Get one response")]
    public static async Task<Results<ApiResponse<ResponseRecord>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/responses/{id}")] HttpRequest req, string id, CurrentMember member, IResponseStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Response) && await store.GetAsync(member.WorkspaceId, id, cancellationToken) is { } response
            ? ApiResults.Ok(response)
            : ApiError.NotFound("No response with that id.");
}
