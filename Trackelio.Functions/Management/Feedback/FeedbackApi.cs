using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Feedback;

/// <summary>
/// <c>/v1/feedback</c>: the team's inbox. Lists newest first (or oldest), filters by status,
/// time, widget and item type, pages by page number or cursor; creates entries from the API;
/// shows one with its audit trail, notes and attachment links; triages (status, assignee,
/// notes, every change audited); soft-deletes.
/// </summary>
[ApiKeyAuth]
[Tags("Feedback")]
public static class FeedbackApi
{
    public static readonly string[] Statuses = ["new", "pending", "in_progress", "resolved", "closed"];

    [Function("ListFeedback")]
    [EndpointSummary("List feedback")]
    public static async Task<ApiResponse<IReadOnlyList<FeedbackView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/feedback")] HttpRequest req, Query<FeedbackListQuery> request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var (query, page) = request.Value;
        var workspaceId = services.Member.WorkspaceId;
        var totalTask = services.Totals.GetAsync(workspaceId, query, page.Fingerprint, cancellationToken);
        var (records, next) = page.After is null && page.Page > 1
            ? await services.Store.PageAtAsync(workspaceId, query, (page.Page - 1) * page.Limit, page.Limit, cancellationToken)
            : await services.Store.ListAsync(workspaceId, query with { After = page.After }, page.Limit, cancellationToken);
        var total = await totalTask;

        return ApiResults.Page(records.Select(FeedbackView.Summary).ToList(), page.Page, page.Limit, total, page.Links(next));
    }

    [Function("CreateFeedback")]
    [EndpointSummary("Create feedback")]
    public static async Task<ApiCreated<FeedbackView>> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/feedback")] HttpRequest req, Body<CreateFeedbackRequest> request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var input = request.Value;
        var now = services.Time.GetUtcNow();
        var actor = services.Member.UserId;
        var record = new FeedbackRecord
        {
            Id = Ids.New(Ids.Feedback, now),
            WorkspaceId = services.Member.WorkspaceId,
            Source = "api",
            Title = input.Title,
            Body = input.Body,
            ItemType = input.Category,
            Rating = input.Rating,
            CustomerEmail = input.CustomerEmail,
            Metadata = input.Metadata,
            Audit = [new AuditEntry("created", actor, now)],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var view = FeedbackView.From(record, _ => null);
        // feedback.created is stored with the record (Webhooks/EventOutbox): never lost, delivered once.
        // So is the mail to members who asked for each new feedback.
        await services.Store.CreateAsync(record, new DomainEvent(record.WorkspaceId, WebhookEvents.FeedbackCreated, record.Id, record.CreatedAt, view),
            FeedbackMail.New(record, actor), cancellationToken);
        await services.Counters.CountOnceAsync(record.WorkspaceId, record.Id, FeedbackCounters.For(null, now), cancellationToken);
        return ApiResults.Created($"/v1/feedback/{record.Id}", view);
    }

    [Function("GetFeedback")]
    [EndpointSummary("Get one feedback entry with its audit trail")]
    public static async Task<Results<ApiResponse<FeedbackView>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/feedback/{id}")] HttpRequest req, string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, services, cancellationToken);
        return record is null
            ? NotFound()
            : ApiResults.Ok(FeedbackView.From(await services.Store.WithHistoryAsync(record, cancellationToken),
                attachment => services.Links.Create(record.WorkspaceId, attachment)));
    }

    [Function("GetFeedbackLogs")]
    [EndpointSummary("The captured console and network logs")]
    public static async Task<Results<ApiResponse<FeedbackLogs>, ApiError>> GetLogs([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/feedback/{id}/logs")] HttpRequest req, string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, services, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }
        var logs = await services.Store.GetLogsAsync(record.WorkspaceId, id, cancellationToken) ?? new FeedbackLogs([], []);
        return ApiResults.Ok(logs);
    }

    [Function("UpdateFeedback")]
    [EndpointSummary("Change status or assignee, or add a note")]
    public static async Task<Results<ApiResponse<FeedbackView>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/feedback/{id}")] HttpRequest req, string id, Body<UpdateFeedbackRequest> request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var change = request.Value;
        var now = services.Time.GetUtcNow();
        FeedbackRecord? previous = null;
        var outcome = Ids.IsValid(id, Ids.Feedback)
            ? await services.Store.UpdateAsync(services.Member.WorkspaceId, id,
                record =>
                {
                    previous = record;
                    return record.Triage(services.Member.UserId, now, change.Status, change.AssignedTo, change.Unassign, change.Note);
                },
                changed => ([Updated(changed, services)], FeedbackMail.Assigned(previous!, changed, services.Member.UserId, services.Member.DisplayName) is { } mail ? [mail] : []),
                cancellationToken)
            : UpdateOutcome<FeedbackRecord>.NotFound;
        if (outcome is not { Status: UpdateStatus.Updated, Value: { } changed })
        {
            return outcome.Status == UpdateStatus.Conflict ? Conflict() : NotFound();
        }
        return ApiResults.Ok(FeedbackView.From(await services.Store.WithHistoryAsync(changed, cancellationToken),
            attachment => services.Links.Create(changed.WorkspaceId, attachment)));
    }

    [Function("DeleteFeedback")]
    [EndpointSummary("Soft-delete feedback")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<NoContent, ApiError>> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/feedback/{id}")] HttpRequest req, string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var outcome = Ids.IsValid(id, Ids.Feedback)
            ? await services.Store.UpdateAsync(services.Member.WorkspaceId, id, record => record.SoftDeleted(services.Member.UserId, now), cancellationToken)
            : UpdateOutcome<FeedbackRecord>.NotFound;
        if (outcome.Status != UpdateStatus.Updated)
        {
            return outcome.Status == UpdateStatus.Conflict ? Conflict() : NotFound();
        }
        await services.Counters.CountOnceAsync(services.Member.WorkspaceId, "deleted|" + id, [FeedbackTotals.Deleted], cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The record in the key's workspace; null for other workspaces' ids, deleted records and ids that never existed alike.</summary>
    private static async Task<FeedbackRecord?> FindAsync(string id, FeedbackServices services, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Feedback) ? await services.Store.FindAsync(services.Member.WorkspaceId, id, cancellationToken) : null;

    /// <summary>
    /// feedback.updated, stored with the change (and, when it assigns the feedback to someone else, the mail to them) (Webhooks/EventOutbox). It carries this change's notes and
    /// audit entries (bounded); the answer the whole history.
    /// </summary>
    private static DomainEvent Updated(FeedbackRecord changed, FeedbackServices services) =>
        new(changed.WorkspaceId, WebhookEvents.FeedbackUpdated, $"{changed.Id}@{changed.UpdatedAt.UtcTicks}/{changed.Audit.Count}", changed.UpdatedAt,
            FeedbackView.From(changed, attachment => services.Links.Create(changed.WorkspaceId, attachment)));

    private static ApiError NotFound() => ApiError.NotFound("No feedback with that id.");

    private static ApiError Conflict() => ApiError.Conflict("conflict", "The feedback kept changing while we applied this; try again.");
}

/// <summary>The handlers' dependencies, one scoped service (not [AsParameters]: the Request Delegate Generator would declare that a request body).</summary>
public sealed class FeedbackServices(IFeedbackStore store, ICounterStore counters, FeedbackTotals totals, CurrentMember member, AttachmentLinks links, TimeProvider time)
{
    public IFeedbackStore Store { get; } = store;
    public ICounterStore Counters { get; } = counters;
    public FeedbackTotals Totals { get; } = totals;
    public CurrentMember Member { get; } = member;
    public AttachmentLinks Links { get; } = links;
    public TimeProvider Time { get; } = time;
}
