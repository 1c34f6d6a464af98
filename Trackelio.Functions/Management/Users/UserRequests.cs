using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Users;

/// <summary><c>POST /v1/users</c>: who to invite, and with which role.</summary>
public sealed record InviteRequest : IJsonRequest<InviteRequest>
{
    public static long MaxBytes => 16 * 1024;

    public required string Email { get; init; }
    public string? Name { get; init; }
    public required TeamRole Role { get; init; }

    public static ValueTask<InviteRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var email = fields.Email(body, "email", "email", required: true);
        var name = fields.String(body, "name", "name", 200);
        var roleText = fields.String(body, "role", "role", 16, required: true);
        TeamRole? role = roleText switch
        {
            "admin" => TeamRole.Admin,
            "editor" => TeamRole.Editor,
            "viewer" => TeamRole.Viewer,
            _ => null,
        };
        if (roleText is not null && role is null)
        {
            fields.Fail("role", "must be admin, editor or viewer");
        }
        return ValueTask.FromResult(email is null || role is null ? null : new InviteRequest { Email = email, Name = name, Role = role.Value });
    }
}

/// <summary>
/// <c>PATCH /v1/users/{id}</c>: <c>name</c>, <c>role</c> (admins only), and <c>notifications</c>
/// (<c>new_feedback</c>: <c>off</c>, <c>instant</c> or <c>daily</c>; <c>assigned</c> and <c>widget_resumed</c>: true or false).
/// Its shape is the body's (the OpenAPI document describes this record): the mail preferences are the nested
/// <see cref="Notifications"/> object, as <see cref="ReadAsync"/> reads them.
/// </summary>
public sealed record UpdateUserRequest : IJsonRequest<UpdateUserRequest>
{
    public static long MaxBytes => 16 * 1024;

    public string? Name { get; init; }
    public TeamRole? Role { get; init; }

    /// <summary>Only the preferences given change; the others stay as they are.</summary>
    public MailPreferencesChange? Notifications { get; init; }

    public static ValueTask<UpdateUserRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var name = fields.String(body, "name", "name", 200);
        var roleText = fields.String(body, "role", "role", 16);
        TeamRole? role = roleText switch
        {
            null => null,
            "admin" => TeamRole.Admin,
            "editor" => TeamRole.Editor,
            "viewer" => TeamRole.Viewer,
            _ => null,
        };
        if (roleText is not null && role is null)
        {
            fields.Fail("role", "must be admin, editor or viewer");
        }
        NewFeedbackMail? newFeedback = null;
        bool? assigned = null, resumed = null;
        if (fields.Object(body, "notifications", "notifications") is { } notifications)
        {
            var newFeedbackText = fields.String(notifications, "new_feedback", "notifications.new_feedback", 16);
            newFeedback = newFeedbackText switch
            {
                null => null,
                "off" => NewFeedbackMail.Off,
                "instant" => NewFeedbackMail.Instant,
                "daily" => NewFeedbackMail.Daily,
                _ => null,
            };
            if (newFeedbackText is not null && newFeedback is null)
            {
                fields.Fail("notifications.new_feedback", "must be off, instant or daily");
            }
            assigned = fields.Bool(notifications, "assigned", "notifications.assigned");
            resumed = fields.Bool(notifications, "widget_resumed", "notifications.widget_resumed");
        }
        var change = newFeedback is null && assigned is null && resumed is null ? null : new MailPreferencesChange { NewFeedback = newFeedback, Assigned = assigned, WidgetResumed = resumed };
        var request = new UpdateUserRequest { Name = name, Role = role, Notifications = change };
        if (name is null && roleText is null && change is null && !fields.HasErrors)
        {
            fields.Fail("body", "must change name, role or notifications");
        }
        return ValueTask.FromResult<UpdateUserRequest?>(request);
    }
}

/// <summary>
/// The <c>notifications</c> of <c>PATCH /v1/users/{id}</c>: each preference given replaces the member's
/// (<see cref="MailPreferences"/>); none is required (properties, not constructor parameters, so the document says so).
/// </summary>
public sealed record MailPreferencesChange
{
    public NewFeedbackMail? NewFeedback { get; init; }
    public bool? Assigned { get; init; }
    public bool? WidgetResumed { get; init; }

    public MailPreferences ApplyTo(MailPreferences current) =>
        new(NewFeedback ?? current.NewFeedback, Assigned ?? current.Assigned, WidgetResumed ?? current.WidgetResumed);
}
