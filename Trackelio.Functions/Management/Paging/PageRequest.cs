using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Management.Paging;

/// <summary>
/// <c>?page=</c> and <c>?limit=</c> (default 50, at most 200), or the opaque <c>?cursor=</c> that
/// <c>links.next</c> carries: a cursor holds the last row of the previous page (keyset paging),
/// so following <c>next</c> never skips or repeats a record and costs no re-scan.
/// </summary>
public sealed record PageRequest(int Page, int Limit, string? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Reads the paging parameters, adding a field error for each bad one. The cursor is bound to <paramref name="queryFingerprint"/>.</summary>
    public static PageRequest Read(HttpRequest request, string queryFingerprint, FieldReader fields)
    {
        var page = 1;
        var limit = DefaultLimit;
        if (request.Query["limit"].ToString() is { Length: > 0 } l && !(int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            fields.Fail("limit", $"must be an integer from 1 to {MaxLimit}");
            limit = DefaultLimit;
        }
        if (request.Query["page"].ToString() is { Length: > 0 } p && !(int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out page) && page >= 1))
        {
            fields.Fail("page", "must be a positive integer");
            page = 1;
        }

        string? after = null;
        if (request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (Decode(cursor) is { } decoded && decoded.Query == queryFingerprint && decoded.Limit == limit)
            {
                (page, after) = (decoded.Page, decoded.After);
            }
            else
            {
                fields.Fail("cursor", "is not a cursor from this list (use links.next as it is)");
            }
        }
        return new PageRequest(page, limit, after);
    }

    public static string Encode(int page, int limit, string after, string queryFingerprint) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Cursor(page, limit, after, queryFingerprint)));

    private static Cursor? Decode(string cursor)
    {
        try
        {
            return JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>The list's query parameters other than paging, so a cursor cannot be replayed on another list.</summary>
    public static string Fingerprint(HttpRequest request) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('&',
            request.Query.Where(q => q.Key is not ("page" or "limit" or "cursor")).OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key + "=" + q.Value)))))[..16];

    /// <summary><c>links.self</c>, <c>links.next</c> (with a cursor) and <c>links.prev</c> for a page.</summary>
    public static Dictionary<string, string?> Links(HttpRequest request, PageRequest page, string? nextAfter, string fingerprint)
    {
        string Url(IEnumerable<KeyValuePair<string, string>> changes)
        {
            var query = request.Query.Where(q => q.Key is not ("page" or "cursor")).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
            foreach (var (key, value) in changes)
            {
                query[key] = value;
            }
            return request.Path + QueryString.Create(query!).ToUriComponent();
        }

        var pageText = page.Page.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string?>
        {
            ["self"] = Url([new("page", pageText)]),
            ["next"] = nextAfter is null ? null : Url([new("page", (page.Page + 1).ToString(CultureInfo.InvariantCulture)),
                new("cursor", Encode(page.Page + 1, page.Limit, nextAfter, fingerprint))]),
            ["prev"] = page.Page > 1 ? Url([new("page", (page.Page - 1).ToString(CultureInfo.InvariantCulture))]) : null,
        };
    }

    private sealed record Cursor(int Page, int Limit, string After, string Query);
}
