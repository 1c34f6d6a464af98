using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Management.Paging;

/// <summary>
/// <c>?page=</c> and <c>?limit=</c> (default 50, at most 200), or the opaque <c>?cursor=</c> that
/// <c>links.next</c> carries: a cursor holds the last row of the previous page (keyset paging),
/// so following <c>next</c> never skips or repeats a record and costs no re-scan.
/// </summary>
public sealed record PageRequest
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The paging parameters every list declares beside its own.</summary>
    public static readonly QueryParameter[] Parameters =
    [
        new("page", "The page, from 1.", QueryValue.Integer),
        new("limit", $"Items per page, 1 to {MaxLimit} (default {DefaultLimit}).", QueryValue.Integer),
        new("cursor", "The cursor in links.next, as it is: the next page after the last row seen."),
    ];

    public required int Page { get; init; }
    public required int Limit { get; init; }
    public string? After { get; init; }

    /// <summary>The list's query parameters other than paging, so a cursor cannot be replayed on another list.</summary>
    public required string Fingerprint { get; init; }

    private PathString Path { get; init; }
    private IReadOnlyList<KeyValuePair<string, string>> Query { get; init; } = [];

    /// <summary>Reads the paging parameters, adding a field error for each bad one. The cursor is bound to the rest of the query.</summary>
    public static PageRequest Read(QueryReader query, FieldReader fields)
    {
        var limit = query.Int("limit", 1, MaxLimit, DefaultLimit, fields);
        var page = query.Int("page", 1, int.MaxValue, 1, fields, "must be a positive integer");
        var all = query.All().ToList();
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('&',
            all.Where(q => q.Key is not ("page" or "limit" or "cursor")).OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => q.Key + "=" + q.Value)))))[..16];

        string? after = null;
        if (query["cursor"] is { } cursor)
        {
            if (Decode(cursor) is { } decoded && decoded.Query == fingerprint && decoded.Limit == limit)
            {
                (page, after) = (decoded.Page, decoded.After);
            }
            else
            {
                fields.Fail("cursor", "is not a cursor from this list (use links.next as it is)");
            }
        }
        return new PageRequest { Page = page, Limit = limit, After = after, Fingerprint = fingerprint, Path = query.Path, Query = all };
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

    /// <summary><c>links.self</c>, <c>links.next</c> (with a cursor) and <c>links.prev</c> for this page.</summary>
    public Dictionary<string, string?> Links(string? nextAfter)
    {
        string Url(IEnumerable<KeyValuePair<string, string>> changes)
        {
            var query = Query.Where(q => q.Key is not ("page" or "cursor")).ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal);
            foreach (var (key, value) in changes)
            {
                query[key] = value;
            }
            return Path + QueryString.Create(query!).ToUriComponent();
        }

        var pageText = Page.ToString(CultureInfo.InvariantCulture);
        return new Dictionary<string, string?>
        {
            ["self"] = Url([new("page", pageText)]),
            ["next"] = nextAfter is null ? null : Url([new("page", (Page + 1).ToString(CultureInfo.InvariantCulture)),
                new("cursor", Encode(Page + 1, Limit, nextAfter, Fingerprint))]),
            ["prev"] = Page > 1 ? Url([new("page", (Page - 1).ToString(CultureInfo.InvariantCulture))]) : null,
        };
    }

    private sealed record Cursor(int Page, int Limit, string After, string Query);
}
