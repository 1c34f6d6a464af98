using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Workspace;

/// <summary>The key's workspace: its name, owner, and the language its mails are written in.</summary>
public sealed record WorkspaceView(string Id, string Name, string OwnerUserId, string Language, DateTimeOffset CreatedAt)
{
    public static WorkspaceView From(Workspaces.Workspace w) => new(w.Id, w.Name, w.OwnerUserId, w.Language, w.CreatedAt);
}

/// <summary><c>/v1/workspace</c>: the workspace the key belongs to. Anyone reads it; admins rename it and set its mails' language.</summary>
[ApiKeyAuth]
[Tags("Workspace")]
public static class WorkspaceApi
{
    [Function("GetWorkspace")]
    [EndpointSummary("The key's workspace")]
    public static async Task<Results<ApiResponse<WorkspaceView>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/workspace")] HttpRequest req,
        CurrentMember member, IWorkspaceStore workspaces, CancellationToken cancellationToken) =>
        await workspaces.GetAsync(member.WorkspaceId, cancellationToken) is { } workspace
            ? ApiResults.Ok(WorkspaceView.From(workspace))
            : ApiError.NotFound("The workspace no longer exists.");

    [Function("UpdateWorkspace")]
    [EndpointSummary("Rename the workspace or set the language of its mails (en, de)")]
    [MinimumRole(TeamRole.Admin)]
    [ErrorResponses(409)]
    public static async Task<Results<ApiResponse<WorkspaceView>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/workspace")] HttpRequest req,
        Body<UpdateWorkspaceRequest> request, CurrentMember member, IWorkspaceStore workspaces, MailPublisher mail, CancellationToken cancellationToken)
    {
        var change = request.Value;
        var outcome = await workspaces.UpdateAsync(member.WorkspaceId, w => w with { Name = change.Name ?? w.Name, Language = change.Language ?? w.Language }, cancellationToken);
        if (outcome is not { Status: UpdateStatus.Updated or UpdateStatus.Unchanged, Value: { } updated })
        {
            return outcome.Status == UpdateStatus.NotFound
                ? ApiError.NotFound("The workspace no longer exists.")
                : ApiError.Conflict("edit_conflict", "The workspace changed too often at once; try again.");
        }
        mail.Invalidate(updated.Id);
        return ApiResults.Ok(WorkspaceView.From(updated));
    }
}
