using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Announcements;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Announcements;

/// <summary><c>/v1/announcements</c>: news for the site, scheduled and targeted; draft until published.</summary>
[ApiKeyAuth]
[Tags("Announcements")]
public static class AnnouncementsApi
{

    [Function("ListAnnouncements")]
    [EndpointSummary("List announcements")]
    public static async Task<ApiResponse<IReadOnlyList<Announcement>>> List([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/announcements")] HttpRequest req, CurrentMember member, AnnouncementStore store, CancellationToken cancellationToken) =>
        ApiResults.List((await store.ListAsync(member.WorkspaceId, cancellationToken)).OrderByDescending(a => a.CreatedAt).ToList());

    [Function("GetAnnouncement")]
    [EndpointSummary("Get an announcement")]
    public static async Task<Results<ApiResponse<Announcement>, ApiError>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/announcements/{id}")] HttpRequest req, string id, CurrentMember member, AnnouncementStore store, CancellationToken cancellationToken) =>
        await FindAsync(id, member, store, cancellationToken) is { } stored ? ApiResults.Ok(stored.Value) : NotFound();

    [Function("CreateAnnouncement")]
    [EndpointSummary("Create an announcement (as a draft)")]
    public static async Task<Results<ApiCreated<Announcement>, ApiError>> Create([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/announcements")] HttpRequest req, Body<AnnouncementInput> request, CurrentMember member, AnnouncementStore store, IWidgetStore widgets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var input = request.Value;
        var now = time.GetUtcNow();
        var announcement = Apply(new Announcement
        {
            Id = Ids.New(Ids.Announcement, now),
            WorkspaceId = member.WorkspaceId,
            Title = new Dictionary<string, string>(),
            Body = new Dictionary<string, string>(),
            CreatedAt = now,
            UpdatedAt = now,
        }, input);
        var fields = new FieldReader();
        await ValidateAsync(announcement, member, widgets, fields, cancellationToken);
        if (fields.HasErrors)
        {
            return ApiError.Validation(fields.Errors);
        }
        await store.AddAsync(announcement, cancellationToken);
        return ApiResults.Created($"/v1/announcements/{announcement.Id}", announcement);
    }

    [Function("UpdateAnnouncement")]
    [EndpointSummary("Change an announcement")]
    public static async Task<Results<ApiResponse<Announcement>, ApiError>> Update([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "v1/announcements/{id}")] HttpRequest req, string id, Body<AnnouncementInput> request, CurrentMember member, AnnouncementStore store, IWidgetStore widgets, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var input = request.Value;
        return await ChangeAsync(id, member, store, cancellationToken, async (announcement, fields) =>
        {
            var changed = Apply(announcement, input) with { UpdatedAt = time.GetUtcNow() };
            await ValidateAsync(changed, member, widgets, fields, cancellationToken);
            return changed;
        });
    }

    [Function("PublishAnnouncement")]
    [EndpointSummary("Publish (within its schedule)")]
    public static Task<Results<ApiResponse<Announcement>, ApiError>> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/announcements/{id}/publish")] HttpRequest req, string id, CurrentMember member, AnnouncementStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(id, member, store, cancellationToken, (a, _) =>
            Task.FromResult(a with { Status = "published", PublishedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() }));

    [Function("UnpublishAnnouncement")]
    [EndpointSummary("Take back to draft")]
    public static Task<Results<ApiResponse<Announcement>, ApiError>> Unpublish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/announcements/{id}/unpublish")] HttpRequest req, string id, CurrentMember member, AnnouncementStore store, TimeProvider time, CancellationToken cancellationToken) =>
        ChangeAsync(id, member, store, cancellationToken, (a, _) => Task.FromResult(a with { Status = "draft", UpdatedAt = time.GetUtcNow() }));

    [Function("DeleteAnnouncement")]
    [EndpointSummary("Delete an announcement")]
    public static async Task<Results<NoContent, ApiError>> Delete([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "v1/announcements/{id}")] HttpRequest req, string id, CurrentMember member, AnnouncementStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, member, store, cancellationToken) is null)
        {
            return NotFound();
        }
        await store.DeleteAsync(member.WorkspaceId, id, cancellationToken);
        return TypedResults.NoContent();
    }

    private static Announcement Apply(Announcement a, AnnouncementInput input) => a with
    {
        WidgetId = input.WidgetId ?? a.WidgetId,
        DefaultLanguage = input.DefaultLanguage ?? a.DefaultLanguage,
        Title = input.Title ?? a.Title,
        Body = input.Body ?? a.Body,
        LinkUrl = input.LinkUrl ?? a.LinkUrl,
        LinkLabel = input.LinkLabel ?? a.LinkLabel,
        ImageUrl = input.ImageUrl ?? a.ImageUrl,
        Style = input.Style ?? a.Style,
        Targeting = input.Targeting ?? a.Targeting,
        StartsAt = input.StartsAt ?? a.StartsAt,
        EndsAt = input.EndsAt ?? a.EndsAt,
    };

    private static async Task ValidateAsync(Announcement a, CurrentMember member, IWidgetStore widgets, FieldReader fields, CancellationToken cancellationToken)
    {
        var language = a.DefaultLanguage ?? "";
        if (!LanguageCode.IsValid(language))
        {
            fields.Fail("default_language", "must be a language code like en or de-CH");
        }
        Texts(a.Title, language, "title", 200, fields);
        Texts(a.Body, language, "body", 10_000, fields);
        if (a.LinkLabel is not null)
        {
            Texts(a.LinkLabel, language, "link_label", 100, fields);
        }
        foreach (var (name, url) in new[] { ("link_url", a.LinkUrl), ("image_url", a.ImageUrl) })
        {
            if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                fields.Fail(name, "must be an absolute http or https URL");
            }
        }
        if (!Announcement.Styles.Contains(a.Style))
        {
            fields.Fail("style", "must be one of " + string.Join(", ", Announcement.Styles));
        }
        if (a.StartsAt is { } starts && a.EndsAt is { } ends && ends <= starts)
        {
            fields.Fail("ends_at", "must be after starts_at");
        }
        TargetingEngine.Validate(a.Targeting, fields, "targeting");
        if (a.WidgetId is not null && (!Ids.IsValid(a.WidgetId, Ids.Widget) || await widgets.GetAsync(member.WorkspaceId, a.WidgetId, cancellationToken) is null))
        {
            fields.Fail("widget_id", "must be a widget of this workspace");
        }
    }

    private static void Texts(IReadOnlyDictionary<string, string> texts, string defaultLanguage, string path, int max, FieldReader fields)
    {
        if (!texts.ContainsKey(defaultLanguage))
        {
            fields.Fail(path, $"needs a text in the default language ({defaultLanguage})");
        }
        foreach (var (language, text) in texts)
        {
            if (!LanguageCode.IsValid(language) || string.IsNullOrWhiteSpace(text) || text.Length > max)
            {
                fields.Fail($"{path}.{language}", $"must be a language code with a text of 1 to {max} characters");
            }
            else if (SafeMarkdown.ContainsHtml(text))
            {
                fields.Fail($"{path}.{language}", "may not contain HTML; use plain text or the Markdown subset (**bold**, *italic*, `code`, [text](https://…), - lists)");
            }
        }
    }

    private static async Task<Results<ApiResponse<Announcement>, ApiError>> ChangeAsync(string id, CurrentMember member, AnnouncementStore store, CancellationToken cancellationToken,
        Func<Announcement, FieldReader, Task<Announcement>> change)
    {
        if (!Ids.IsValid(id, Ids.Announcement))
        {
            return NotFound();
        }
        var (changed, errors) = await store.ChangeAsync(member.WorkspaceId, id, change, cancellationToken);
        return changed is null ? NotFound() : errors.Count > 0 ? ApiError.Validation(errors) : ApiResults.Ok(changed);
    }

    private static async Task<Storage.Tables.Stored<Announcement>?> FindAsync(string id, CurrentMember member, AnnouncementStore store, CancellationToken cancellationToken) =>
        Ids.IsValid(id, Ids.Announcement) ? await store.GetAsync(member.WorkspaceId, id, cancellationToken) : null;

    private static ApiError NotFound() => ApiError.NotFound("No announcement with that id.");
}
