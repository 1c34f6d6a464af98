using Trackelio.Functions.Widget;
using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Announcements;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Widget.Visitors;

namespace Trackelio.Functions.Widget.Announcements;

/// <summary>An announcement as the widget shows it, in one language; <see cref="BodyHtml"/> is the safe rendering of the Markdown subset.</summary>
public sealed record WidgetAnnouncement(string Id, string Language, string Title, string Body, string BodyHtml, string? LinkUrl, string? LinkLabel,
    string? ImageUrl, string Style, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt, DateTimeOffset? PublishedAt);

/// <summary>
/// <c>GET /v1/widget/announcements</c>: the published announcements live now (<c>starts_at</c> ≤ now
/// &lt; <c>ends_at</c>) whose targeting matches the visitor, newest first, in <c>?lang=</c> when each has it.
/// </summary>
[ProjectKeyAuth]
[Tags("Widget API")]
public static class AnnouncementsEndpoint
{

    [Function("WidgetAnnouncements")]
    [EndpointSummary("Fetch the announcements for this page")]
    public static async Task<ApiResponse<IReadOnlyList<WidgetAnnouncement>>> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "options", Route = "v1/widget/announcements")] HttpRequest req, Query<VisitorQuery> visitor, HttpResponse response, CurrentWidget current, AnnouncementStore announcements, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var context = visitor.Value.Context;
        var live = (await announcements.CachedAsync(current.WorkspaceId, cancellationToken))
            .Where(a => a.RunsOn(current.WidgetId) && a.IsLiveAt(now) && TargetingEngine.Matches(a.Targeting, context))
            .OrderByDescending(a => a.StartsAt ?? a.PublishedAt)
            .Select(a => ForWidget(a, context["lang"]))
            .ToList();
        response.Headers.CacheControl = "private, max-age=5";
        return ApiResults.List(live);
    }

    internal static WidgetAnnouncement ForWidget(Announcement announcement, string? requested)
    {
        var language = Localized.Resolve(requested, announcement.DefaultLanguage, [announcement.Title, announcement.Body]);
        var body = Localized.Pick(announcement.Body, language, announcement.DefaultLanguage) ?? "";
        return new WidgetAnnouncement(announcement.Id, language,
            Localized.Pick(announcement.Title, language, announcement.DefaultLanguage) ?? "",
            body, SafeMarkdown.ToHtml(body),
            announcement.LinkUrl, Localized.Pick(announcement.LinkLabel, language, announcement.DefaultLanguage),
            announcement.ImageUrl, announcement.Style, announcement.StartsAt, announcement.EndsAt, announcement.PublishedAt);
    }
}
