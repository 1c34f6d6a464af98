using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Visitors;

/// <summary>
/// The visitor and page fields every widget write shares (<c>submitter</c>, <c>page</c>): submit,
/// NPS, CSAT, surveys and the messenger read them the same way.
/// </summary>
public static class VisitorFields
{
    /// <summary>
    /// The submitter, verified only when <c>user_hash</c> is HMAC-SHA256(user_id, identity secret),
    /// compared in constant time. A wrong hash is accepted but flagged, never trusted.
    /// </summary>
    public static Submitter? ReadSubmitter(JsonElement body, SiteWidget widget, FieldReader fields)
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
        var verified = userHash is not null && userId is not null && HashMatches(userId, userHash, widget.IdentitySecret);
        return new Submitter
        {
            Name = fields.String(s, "name", "submitter.name", 200),
            Email = fields.Email(s, "email", "submitter.email"),
            UserId = userId,
            Verified = verified,
            IdentityFlag = userHash is not null && !verified ? "user_hash_mismatch" : null,
        };
    }

    public static string UserHash(string userId, string identitySecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(identitySecret), Encoding.UTF8.GetBytes(userId)));

    private static bool HashMatches(string userId, string userHash, string identitySecret)
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
}
