using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Management.Privacy;

/// <summary>
/// Whose data: an end user's <c>user_id</c> or e-mail address (or both). The query of
/// <c>GET /v1/privacy/export</c> and the body of <c>POST /v1/privacy/erase</c>.
/// </summary>
public sealed record PrivacySubject(string? UserId, string? Email) : IQueryRequest<PrivacySubject>, IJsonRequest<PrivacySubject>
{
    public static long MaxBytes => 16 * 1024;

    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("user_id", "The end user's id, as the widget sent it (this or email is required)."),
        new("email", "The end user's e-mail address, as submitter or customer (this or user_id is required)."),
    ];

    public static PrivacySubject? Read(QueryReader query, FieldReader fields) => Subject(query["user_id"] ?? "", query["email"] ?? "", fields);

    public static ValueTask<PrivacySubject?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var userId = fields.String(body, "user_id", "user_id", 256);
        var email = fields.String(body, "email", "email", 320);
        return ValueTask.FromResult(fields.HasErrors ? null : Subject(userId ?? "", email ?? "", fields));
    }

    private static PrivacySubject? Subject(string userId, string email, FieldReader fields)
    {
        var id = userId.Trim() is { Length: > 0 and <= 256 } u ? u : null;
        var mail = email.Trim() is { Length: > 0 and <= 320 } e ? e : null;
        if (id is null && mail is null)
        {
            fields.Fail("user_id", "or email is required: whose data?");
            return null;
        }
        if (mail is not null && !FieldReader.IsEmail(mail))
        {
            fields.Fail("email", "must be an e-mail address");
            return null;
        }
        return new PrivacySubject(id, mail);
    }
}
