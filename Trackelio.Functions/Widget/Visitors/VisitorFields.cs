using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Visitors;

/// <summary>
/// The <c>submitter</c> every widget write may send (submit, NPS, CSAT, surveys, the messenger),
/// as sent: trusted only once <see cref="VerifiedFor"/> has checked <c>user_hash</c>.
/// </summary>
public sealed record SubmitterInput
{
    public string? Name { get; init; }
    public string? Email { get; init; }
    public string? UserId { get; init; }

    /// <summary>HMAC-SHA256(user_id, the widget's identity secret), hex.</summary>
    public string? UserHash { get; init; }

    public static SubmitterInput? Read(JsonElement body, FieldReader fields)
    {
        if (fields.Object(body, "submitter", "submitter") is not { } s)
        {
            return null;
        }
        var userId = fields.String(s, "user_id", "submitter.user_id", 256);
        var userHash = fields.String(s, "user_hash", "submitter.user_hash", 128);
        if (userHash is not null && userId is null)
        {
            fields.Fail("submitter.user_hash", "needs submitter.user_id");
        }
        return new SubmitterInput
        {
            UserId = userId,
            UserHash = userHash,
            Name = fields.String(s, "name", "submitter.name", 200),
            Email = fields.Email(s, "email", "submitter.email"),
        };
    }

    /// <summary>
    /// The submitter, verified only when <c>user_hash</c> is HMAC-SHA256(user_id, identity secret),
    /// compared in constant time. A wrong hash is accepted but flagged, never trusted.
    /// </summary>
    public Submitter VerifiedFor(SiteWidget widget)
    {
        var verified = UserHash is not null && UserId is not null && VisitorFields.HashMatches(UserId, UserHash, widget.IdentitySecret);
        return new Submitter
        {
            Name = Name,
            Email = Email,
            UserId = UserId,
            Verified = verified,
            IdentityFlag = UserHash is not null && !verified ? "user_hash_mismatch" : null,
        };
    }
}

/// <summary>The visitor and page fields every widget write shares (<c>submitter</c>, <c>page</c>), read the same way everywhere.</summary>
public static class VisitorFields
{
    public static Submitter? ReadSubmitter(JsonElement body, SiteWidget widget, FieldReader fields) =>
        SubmitterInput.Read(body, fields)?.VerifiedFor(widget);

    public static string UserHash(string userId, string identitySecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(identitySecret), Encoding.UTF8.GetBytes(userId)));

    internal static bool HashMatches(string userId, string userHash, string identitySecret)
    {
        var expected = Encoding.ASCII.GetBytes(UserHash(userId, identitySecret));
        var given = Encoding.ASCII.GetBytes(userHash.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public static PageInfo? ReadPage(JsonElement body, FieldReader fields)
    {
        if (fields.Object(body, "page", "page") is not { } p)
        {
            return null;
        }
        var path = fields.String(p, "path", "page.path", 2048);
        if (path is not null && !path.StartsWith('/'))
        {
            fields.Fail("page.path", "must start with /");
        }
        return new PageInfo
        {
            Url = fields.Url(p, "url", "page.url"),
            Path = path,
            Title = fields.String(p, "title", "page.title", 500),
            Referrer = fields.Url(p, "referrer", "page.referrer"),
        };
    }

    /// <summary>The current widget, for request records whose rules depend on its config.</summary>
    public static SiteWidget Widget(HttpContext http) => http.RequestServices.GetRequiredService<CurrentWidget>().Widget;
}
