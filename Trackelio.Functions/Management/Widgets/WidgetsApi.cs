using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Webhooks;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Widgets;

/// <summary>The widget handlers' dependencies, one scoped service (not [AsParameters]: the Request Delegate Generator would declare that a request body).</summary>
public sealed class WidgetServices(IWidgetStore widgets, IProjectKeyStore projectKeys, WidgetDirectory directory, CurrentMember member, EventOutbox outbox, TimeProvider time)
{
    public IWidgetStore Widgets { get; } = widgets;
    public IProjectKeyStore ProjectKeys { get; } = projectKeys;
    public WidgetDirectory Directory { get; } = directory;
    public CurrentMember Member { get; } = member;
    public EventOutbox Outbox { get; } = outbox;
    public TimeProvider Time { get; } = time;
}

/// <summary>
/// <c>/v1/widgets</c>: the sites' widgets. Changes reach the widget within 15 s (this instance's
/// cached copy is dropped at once; others expire within their cache period).
/// </summary>
[ApiKeyAuth]
[Tags("Widgets")]
public static class WidgetsApi
{

    [Function("ListWidgets")]
    [EndpointSummary("List widgets")]
    public static async Task<ApiResponse<IReadOnlyList<WidgetView>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/widgets")] HttpRequest req, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var widgets = new List<WidgetView>();
        await foreach (var stored in services.Widgets.ListAsync(services.Member.WorkspaceId, cancellationToken))
        {
            widgets.Add(WidgetView.From(stored.Value, now));
        }
        return ApiResults.List(widgets);
    }

    [Function("GetWidget")]
    [EndpointSummary("Get a widget")]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/widgets/{id}")] HttpRequest req, string id, [FromServices] WidgetServices services, CancellationToken cancellationToken) =>
        await FindAsync(id, services, cancellationToken) is { } widget
            ? ApiResults.Ok(WidgetView.From(widget, services.Time.GetUtcNow()))
            : NotFound();

    [Function("CreateWidget")]
    [EndpointSummary("Create a widget (its project key and identity secret are shown once)")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<ApiCreated<WidgetView>> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/widgets")] HttpRequest req, Body<WidgetRequest> request, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var widget = new SiteWidget
        {
            Id = Ids.New(Ids.Widget, now),
            WorkspaceId = services.Member.WorkspaceId,
            Name = "",
            ProjectKey = ProjectKeys.New(),
            IdentitySecret = Secrets.New("wis_"),
            AllowedOrigins = [],
            Config = new WidgetConfig(),
            History = [new WidgetEvent("created", services.Member.UserId, now)],
            CreatedAt = now,
            UpdatedAt = now,
        };
        // Applied to the defaults, as when the request was read and checked: it cannot fail here.
        widget = request.Value.ApplyTo(widget, new FieldReader());
        await services.Widgets.AddAsync(widget, cancellationToken);
        await services.ProjectKeys.AddAsync(new ProjectKey { Key = widget.ProjectKey, WorkspaceId = widget.WorkspaceId, WidgetId = widget.Id, CreatedAt = now }, cancellationToken);
        return ApiResults.Created($"/v1/widgets/{widget.Id}", WidgetView.From(widget, now, withSecret: true));
    }

    [Function("UpdateWidget")]
    [EndpointSummary("Change theme, position, languages, modules, origins or is_active")]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/widgets/{id}")] HttpRequest req, string id, Body<WidgetRequest> request, [FromServices] WidgetServices services, CancellationToken cancellationToken) =>
        Answer(await ChangeAsync(id, services, cancellationToken, request.Value.ApplyTo), services);

    [Function("PauseWidget")]
    [EndpointSummary("Pause a widget, optionally until resume_at")]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> Pause([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/widgets/{id}/pause")] HttpRequest req, string id, Body<PauseRequest> request, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        var (reason, resumeAt) = (request.Value.Reason, request.Value.ResumeAt);
        var now = services.Time.GetUtcNow();
        return Answer(await ChangeAsync(id, services, cancellationToken, (widget, _) => widget with
        {
            Pause = new WidgetPause(reason, now, resumeAt),
            History = [.. widget.History, new WidgetEvent("paused", services.Member.UserId, now, reason)],
        }), services);
    }

    [Function("ResumeWidget")]
    [EndpointSummary("Resume a paused widget")]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> Resume([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/widgets/{id}/resume")] HttpRequest req, string id, Body<ResumeRequest> request, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        // With notify, widget.resumed is stored with the change (Webhooks/EventOutbox): never lost, delivered once.
        var (changeError, resumed) = await ChangeAsync(id, services, cancellationToken, (widget, _) => widget with
        {
            Pause = null,
            History = [.. widget.History, new WidgetEvent("resumed", services.Member.UserId, services.Time.GetUtcNow())],
        }, request.Value.Notify == true ? widget => Resumed(widget, services) : null);
        return changeError is not null ? changeError : ApiResults.Ok(WidgetView.From(resumed!, services.Time.GetUtcNow()));
    }

    [Function("RotateWidgetKey")]
    [EndpointSummary("New project key; the old one works 24 h more")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> RotateKey([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/widgets/{id}/rotate-key")] HttpRequest req, string id, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, services, cancellationToken) is not { } current)
        {
            return NotFound();
        }
        var now = services.Time.GetUtcNow();
        var newKey = ProjectKeys.New();
        // The key first: a widget must never name a key that does not resolve to it.
        await services.ProjectKeys.AddAsync(new ProjectKey { Key = newKey, WorkspaceId = current.WorkspaceId, WidgetId = current.Id, CreatedAt = now }, cancellationToken);
        string? oldKey = null;
        var (error, rotated) = await ChangeAsync(id, services, cancellationToken, (widget, _) =>
        {
            oldKey = widget.ProjectKey;
            return widget with { ProjectKey = newKey, History = [.. widget.History, new WidgetEvent("project_key_rotated", services.Member.UserId, now)] };
        });
        if (error is not null)
        {
            return error;
        }
        await services.ProjectKeys.RetireAsync(oldKey!, now + ProjectKeys.RotationGrace, cancellationToken);
        services.Directory.Invalidate(oldKey!);
        return ApiResults.Ok(WidgetView.From(rotated!, now));
    }

    [Function("RotateWidgetIdentitySecret")]
    [EndpointSummary("New identity secret for user_hash")]
    [MinimumRole(TeamRole.Admin)]
    public static async Task<Results<ApiResponse<WidgetView>, ApiError>> RotateIdentitySecret([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/widgets/{id}/rotate-identity-secret")] HttpRequest req, string id, [FromServices] WidgetServices services, CancellationToken cancellationToken)
    {
        var now = services.Time.GetUtcNow();
        var (error, rotated) = await ChangeAsync(id, services, cancellationToken, (widget, _) => widget with
        {
            IdentitySecret = Secrets.New("wis_"),
            History = [.. widget.History, new WidgetEvent("identity_secret_rotated", services.Member.UserId, now)],
        });
        return error is not null ? error : ApiResults.Ok(WidgetView.From(rotated!, now) with { IdentitySecret = rotated!.IdentitySecret });
    }

    /// <summary>Changes the widget (the store retries on a concurrent change), then drops this instance's cached copy.</summary>
    /// <summary>
    /// A resume with <c>notify</c>: <c>widget.resumed</c> to the webhooks and a mail to every admin and the owner (but the
    /// one who resumed it). The change is named by its time: the capped history's length repeats once it is full.
    /// </summary>
    private static (IReadOnlyList<DomainEvent>, IReadOnlyList<MailIntent>) Resumed(SiteWidget widget, WidgetServices services)
    {
        var source = $"{widget.Id}@{widget.UpdatedAt.UtcTicks}";
        var actor = services.Member.Key.Member;
        return (
            [new DomainEvent(widget.WorkspaceId, WebhookEvents.WidgetResumed, source, widget.UpdatedAt, WidgetView.From(widget, services.Time.GetUtcNow()))],
            [MailIntent.Create(widget.WorkspaceId, MailKind.WidgetResumed, source, widget.UpdatedAt, MailAudience.Admins,
                new MailContent.WidgetResumed(widget.Id, widget.Name, actor.Name ?? actor.Email)) with { ActorUserId = actor.Id }]);
    }

    /// <param name="announce">The event the change makes, stored in its transaction (null: none).</param>
    private static async Task<(ApiError? Error, SiteWidget? Widget)> ChangeAsync(string id, WidgetServices services, CancellationToken cancellationToken,
        Func<SiteWidget, FieldReader, SiteWidget> change, Func<SiteWidget, (IReadOnlyList<DomainEvent> Events, IReadOnlyList<MailIntent> Mails)>? announce = null)
    {
        if (!Ids.IsValid(id, Ids.Widget))
        {
            return (NotFound(), null);
        }
        IReadOnlyList<FieldError> errors = [];
        SiteWidget? Change(SiteWidget widget)
        {
            var fields = new FieldReader();
            var changed = change(widget, fields) with { UpdatedAt = services.Time.GetUtcNow() };
            errors = fields.Errors;
            return fields.HasErrors ? null : changed;
        }
        var workspaceId = services.Member.WorkspaceId;
        var outcome = announce is null
            ? await services.Widgets.UpdateAsync(workspaceId, id, Change, cancellationToken)
            : await services.Outbox.UpdateAsync(StorageNames.Tables.Widgets, workspaceId, announce,
                with => services.Widgets.UpdateAsync(workspaceId, id, Change, with, cancellationToken), cancellationToken);
        switch (outcome.Status)
        {
            case UpdateStatus.Updated:
                services.Directory.Invalidate(outcome.Value!.ProjectKey);
                return (null, outcome.Value);
            case UpdateStatus.Unchanged:
                return (ApiError.Validation(errors), null);
            case UpdateStatus.Conflict:
                return (ApiError.Conflict("conflict", "The widget kept changing while we applied this; try again."), null);
            default:
                return (NotFound(), null);
        }
    }

    private static Results<ApiResponse<WidgetView>, ApiError> Answer((ApiError? Error, SiteWidget? Widget) changed, WidgetServices services) =>
        changed.Error is { } error ? error : ApiResults.Ok(WidgetView.From(changed.Widget!, services.Time.GetUtcNow()));

    private static async Task<SiteWidget?> FindAsync(string id, WidgetServices services, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Widget) ? await services.Widgets.FindAsync(services.Member.WorkspaceId, id, cancellationToken) : null;

    private static ApiError NotFound() => ApiError.NotFound("No widget with that id.");
}
