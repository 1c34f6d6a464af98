using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;

namespace Trackelio.Functions.Management.Keys;

/// <summary><c>POST /v1/api-keys</c>: a name, and whose key it is (default: the caller's).</summary>
public sealed record CreateApiKeyRequest : IJsonRequest<CreateApiKeyRequest>
{
    public static long MaxBytes => 16 * 1024;

    public required string Name { get; init; }

    /// <summary>An active member of this workspace; the caller when absent.</summary>
    public string? UserId { get; init; }

    public static async ValueTask<CreateApiKeyRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var name = fields.String(body, "name", "name", 200, required: true);
        var userId = fields.String(body, "user_id", "user_id", 64) ?? http.RequestServices.GetRequiredService<CurrentMember>().UserId;
        if (!await ActiveMember.IsAsync(http, userId))
        {
            fields.Fail("user_id", "must be an active member of this workspace");
        }
        return name is null ? null : new CreateApiKeyRequest { Name = name, UserId = userId };
    }
}
