using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Management.Invitations;

/// <summary><c>POST /v1/invitations/accept</c>: the token from the invitation, and a name for the first key.</summary>
public sealed record AcceptInvitationRequest : IJsonRequest<AcceptInvitationRequest>
{
    public static long MaxBytes => 4 * 1024;

    public required string InvitationToken { get; init; }

    /// <summary>Default "First key".</summary>
    public string? KeyName { get; init; }

    public static ValueTask<AcceptInvitationRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var token = fields.String(body, "invitation_token", "invitation_token", 200, required: true);
        var keyName = fields.String(body, "key_name", "key_name", 200);
        return ValueTask.FromResult(token is null ? null : new AcceptInvitationRequest { InvitationToken = token, KeyName = keyName });
    }
}

/// <summary><c>POST /v1/invitations/check</c>: the token from the invitation, to see what it is for before accepting it.</summary>
public sealed record CheckInvitationRequest : IJsonRequest<CheckInvitationRequest>
{
    public static long MaxBytes => 4 * 1024;

    public required string InvitationToken { get; init; }

    public static ValueTask<CheckInvitationRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var token = fields.String(body, "invitation_token", "invitation_token", 200, required: true);
        return ValueTask.FromResult(token is null ? null : new CheckInvitationRequest { InvitationToken = token });
    }
}
