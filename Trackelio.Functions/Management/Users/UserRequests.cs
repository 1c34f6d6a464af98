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
