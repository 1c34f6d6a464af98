using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Paging;
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
public static class FeedbackApi
{
    public static readonly string[] Statuses = ["new", "pending", "in_progress", "resolved", "closed"];

    public static RouteGroupBuilder MapFeedbackApi(this RouteGroupBuilder v1)
    {
        var feedback = v1.MapGroup("/feedback").WithTags("Feedback");
        feedback.MapGet("", List).WithName("ListFeedback").Produces<Envelope<IReadOnlyList<FeedbackView>>>().WithSummary("List feedback");
        feedback.MapPost("", Create).WithName("CreateFeedback").Produces<Envelope<FeedbackView>>(StatusCodes.Status201Created).WithSummary("Create feedback");
        feedback.MapGet("/{id}", Get).WithName("GetFeedback").Produces<Envelope<FeedbackView>>().WithSummary("Get one feedback entry with its audit trail");
        feedback.MapPatch("/{id}", Update).WithName("UpdateFeedback").Produces<Envelope<FeedbackView>>().WithSummary("Change status or assignee, or add a note");
        feedback.MapDelete("/{id}", Delete).WithName("DeleteFeedback").Produces(StatusCodes.Status204NoContent).WithSummary("Soft-delete feedback").RequireRole(TeamRole.Admin);
        feedback.MapGet("/{id}/logs", GetLogs).WithName("GetFeedbackLogs").Produces<Envelope<FeedbackLogs>>().WithSummary("The captured console and network logs");
        return feedback;
    }

    public static async Task<IResult> List(HttpRequest request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var fields = new FieldReader();
        var query = ReadQuery(request, fields);
        var fingerprint = PageRequest.Fingerprint(request);
        var page = PageRequest.Read(request, fingerprint, fields);
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }

        var workspaceId = services.Member.WorkspaceId;
        var after = page.After;
        if (after is null && page.Page > 1)
        {
            after = await services.Store.SkipAsync(workspaceId, query, (page.Page - 1) * page.Limit, cancellationToken);
        }
        var totalTask = services.Totals.GetAsync(workspaceId, query, fingerprint, cancellationToken);
        var (records, next) = after is null && page.Page > 1
            ? ([], null)
            : await services.Store.ListAsync(workspaceId, query with { After = after }, page.Limit, cancellationToken);
        var total = await totalTask;

        return ApiResults.Page(records.Select(FeedbackView.Summary).ToList(), page.Page, page.Limit, total,
            PageRequest.Links(request, page, next, fingerprint));
    }

    private static FeedbackQuery ReadQuery(HttpRequest request, FieldReader fields)
    {
        var statuses = request.Query["status"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray(); // new,new,… ×700 is one condition, not a filter storage refuses
        foreach (var status in statuses.Where(s => !Statuses.Contains(s)))
        {
            fields.Fail("status", $"'{status}' is not one of {string.Join(", ", Statuses)}");
        }

        var sort = request.Query["sort"].ToString();
        if (sort.Length > 0 && sort is not ("created_at:desc" or "created_at:asc"))
        {
            fields.Fail("sort", "must be created_at:desc or created_at:asc");
        }
        var itemType = request.Query["item_type"].ToString() is { Length: > 0 } t ? t : request.Query["category"].ToString();
        var widgetId = request.Query["widget_id"].ToString();
        if (widgetId.Length > 0 && !Ids.IsValid(widgetId, Ids.Widget))
        {
            fields.Fail("widget_id", "must be a widget id (wdg_…)");
        }
        return new FeedbackQuery
        {
            Statuses = statuses,
            From = QueryTime.Read(request, "from", fields),
            To = QueryTime.Read(request, "to", fields),
            WidgetId = widgetId.Length > 0 ? widgetId : null,
            ItemType = itemType.Length is > 0 and <= 64 ? itemType : null,
            NewestFirst = sort != "created_at:asc",
        };
    }

    public static async Task<IResult> Create(HttpRequest request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var (document, bodyError) = await JsonBody.ReadAsync(request, 256 * 1024, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }
        using (document)
        {
            var body = document!.RootElement;
            var fields = new FieldReader();
            var text = fields.String(body, "body", "body", 20_000, required: true);
            var rating = fields.Int(body, "rating", "rating", 1, 5);
            var category = fields.String(body, "category", "category", 64);
            var email = fields.Email(body, "customer_email", "customer_email");
            var metadata = FeedbackMetadata.Read(body, fields);
            var title = fields.String(body, "title", "title", 200);
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }

            var now = services.Time.GetUtcNow();
            var actor = services.Member.UserId;
            var record = new FeedbackRecord
            {
                Id = Ids.New(Ids.Feedback, now),
                WorkspaceId = services.Member.WorkspaceId,
                Source = "api",
                Title = title,
                Body = text,
                ItemType = category,
                Rating = rating,
                CustomerEmail = email,
                Metadata = metadata,
                Audit = [new AuditEntry("created", actor, now)],
                CreatedAt = now,
                UpdatedAt = now,
            };
            await services.Store.CreateAsync(record, cancellationToken);
            await services.Counters.CountOnceAsync(record.WorkspaceId, record.Id, FeedbackCounters.For(null, now), cancellationToken);
            var view = FeedbackView.From(record, _ => null);
            await services.Webhooks.PublishAfterWriteAsync(new DomainEvent(record.WorkspaceId, WebhookEvents.FeedbackCreated, record.Id, record.CreatedAt, view), cancellationToken);
            return ApiResults.Created($"/v1/feedback/{record.Id}", view);
        }
    }

    public static async Task<IResult> Get(string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, services, cancellationToken);
        return record is null
            ? NotFound()
            : ApiResults.Ok(FeedbackView.From(await services.Store.WithHistoryAsync(record, cancellationToken),
                attachment => services.Links.Create(record.WorkspaceId, attachment)));
    }

    public static async Task<IResult> GetLogs(string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, services, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }
        var logs = await services.Store.GetLogsAsync(record.WorkspaceId, id, cancellationToken) ?? new FeedbackLogs([], []);
        return ApiResults.Ok(logs);
    }

    public static async Task<IResult> Update(string id, HttpRequest request, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
    {
        var (document, bodyError) = await JsonBody.ReadAsync(request, 64 * 1024, cancellationToken);
        if (bodyError is not null)
        {
            return bodyError;
        }
        using (document)
        {
            var body = document!.RootElement;
            var fields = new FieldReader();
            foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("status" or "assigned_to" or "note")))
            {
                fields.Fail(property.Name, "cannot be changed (status, assigned_to and note can)");
            }
            var status = fields.String(body, "status", "status", 32);
            if (status is not null && !Statuses.Contains(status))
            {
                fields.Fail("status", "must be one of " + string.Join(", ", Statuses));
            }
            var unassign = body.TryGetProperty("assigned_to", out var assignedElement) && assignedElement.ValueKind == JsonValueKind.Null;
            var assignee = fields.String(body, "assigned_to", "assigned_to", 64);
            var note = fields.String(body, "note", "note", 5000);
            if (status is null && assignee is null && note is null && !unassign && !fields.HasErrors)
            {
                fields.Fail("body", "must change status, assigned_to or note");
            }
            if (assignee is not null && (!Ids.IsValid(assignee, Ids.User) || await services.Team.GetAsync(services.Member.WorkspaceId, assignee, cancellationToken) is not { Status: "active" }))
            {
                fields.Fail("assigned_to", "must be the id of an active member of this workspace");
            }
            if (fields.HasErrors)
            {
                return ApiError.Validation(fields.Errors);
            }

            var now = services.Time.GetUtcNow();
            var outcome = Ids.IsValid(id, Ids.Feedback)
                ? await services.Store.UpdateAsync(services.Member.WorkspaceId, id,
                    record => record.Triage(services.Member.UserId, now, status, assignee, unassign, note), cancellationToken)
                : UpdateOutcome<FeedbackRecord>.NotFound;
            if (outcome is not { Status: UpdateStatus.Updated, Value: { } changed })
            {
                return outcome.Status == UpdateStatus.Conflict ? Conflict() : NotFound();
            }
            // The event carries this change's notes and audit entries (bounded); the answer the whole history.
            var view = FeedbackView.From(changed, attachment => services.Links.Create(changed.WorkspaceId, attachment));
            await services.Webhooks.PublishAfterWriteAsync(new DomainEvent(changed.WorkspaceId, WebhookEvents.FeedbackUpdated,
                $"{changed.Id}@{changed.UpdatedAt.UtcTicks}/{changed.Audit.Count}", changed.UpdatedAt, view), cancellationToken);
            return ApiResults.Ok(FeedbackView.From(await services.Store.WithHistoryAsync(changed, cancellationToken),
                attachment => services.Links.Create(changed.WorkspaceId, attachment)));
        }
    }

    public static async Task<IResult> Delete(string id, [FromServices] FeedbackServices services, CancellationToken cancellationToken)
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

    private static ApiError NotFound() => ApiError.NotFound("No feedback with that id.");

    private static ApiError Conflict() => ApiError.Conflict("conflict", "The feedback kept changing while we applied this; try again.");
}

/// <summary>The handlers' dependencies, one scoped service (not [AsParameters]: the Request Delegate Generator would declare that a request body).</summary>
public sealed class FeedbackServices(IFeedbackStore store, ICounterStore counters, FeedbackTotals totals, ITeamStore team, CurrentMember member, AttachmentLinks links, IWebhookPublisher webhooks, TimeProvider time)
{
    public IFeedbackStore Store { get; } = store;
    public ICounterStore Counters { get; } = counters;
    public FeedbackTotals Totals { get; } = totals;
    public ITeamStore Team { get; } = team;
    public CurrentMember Member { get; } = member;
    public AttachmentLinks Links { get; } = links;
    public IWebhookPublisher Webhooks { get; } = webhooks;
    public TimeProvider Time { get; } = time;
}
