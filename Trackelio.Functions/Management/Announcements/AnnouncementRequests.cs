using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Announcements;

/// <summary>
/// The fields an announcement is created (<c>POST /v1/announcements</c>) or changed
/// (<c>PATCH /v1/announcements/{id}</c>) with; a PATCH replaces the fields it names. Read by the
/// serializer; an announcement's rules are checked on the announcement it makes.
/// </summary>
public sealed record AnnouncementInput : IJsonRequest<AnnouncementInput>
{
    public static long MaxBytes => 128 * 1024;

    public string? WidgetId { get; init; }
    public string? DefaultLanguage { get; init; }
    public Dictionary<string, string>? Title { get; init; }
    public Dictionary<string, string>? Body { get; init; }
    public string? LinkUrl { get; init; }
    public Dictionary<string, string>? LinkLabel { get; init; }
    public string? ImageUrl { get; init; }
    public string? Style { get; init; }
    public TargetingRule? Targeting { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }

    public static ValueTask<AnnouncementInput?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http) =>
        ValueTask.FromResult(JsonRequest.Deserialize<AnnouncementInput>(body, fields));
}
