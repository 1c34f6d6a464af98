using System.Text;
using Trackelio.Functions.Hosting;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>One request a stranger (or a broken client) could send; <see cref="Class"/> says what is wrong with it.</summary>
public sealed record HostileRequest(string Class, string Method, string Path, byte[]? Body = null, string? ContentType = null,
    IReadOnlyList<(string Name, string Value)>? Headers = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Path, UriKind.Relative));
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }
        foreach (var (name, value) in Headers ?? [])
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    public override string ToString() => $"[{Class}] {Method} {(Path.Length > 160 ? Path[..160] + "…" : Path)}";
}

/// <summary>What the corpus needs to know about the tenants it attacks and across.</summary>
public sealed record CorpusTenants
{
    public required string ProjectKey { get; init; }
    public required string AdminKey { get; init; }
    public required string ViewerKey { get; init; }
    public required string AllowedOrigin { get; init; }

    /// <summary>Ids of the attacked workspace's own resources, by route family (<c>feedback</c>, <c>widgets</c>, …).</summary>
    public required IReadOnlyDictionary<string, string> OwnIds { get; init; }

    /// <summary>Ids of another workspace's resources, by route family: never reachable with the keys above.</summary>
    public required IReadOnlyDictionary<string, string> ForeignIds { get; init; }

    public required string ForeignConversationId { get; init; }
    public required string ForeignVisitorToken { get; init; }
    public required string OwnConversationId { get; init; }
}

/// <summary>
/// The hostile corpus: for every endpoint in the route table (so a new endpoint is covered the
/// moment it is mapped), requests with forged or missing credentials, hostile ids in every
/// route parameter, and — for writes — malformed, oversized, mistyped and mislabelled bodies.
/// Every one must be answered 4xx in the error envelope and leave storage as it was.
/// </summary>
public static class HostileCorpus
{
    /// <summary>Lone surrogates and invalid UTF-8 (issue 11 §3): the contract branch's JSON reading layer settles them.</summary>
    public const string InvalidStringsClass = "invalid-string";

    private static readonly string[] HostileIds =
    [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "..%5C..%5Cwindows%5Cwin.ini",
        "%2e%2e",
        "'%20or%201%20eq%201%20or%20'",
        "x'%20or%20PartitionKey%20ne%20'",
        "fb_'%20or%20RowKey%20gt%20'",
        "a%20b%09c",
        "%E2%80%AE%E2%80%AD",
        "*",
        new string('a', 3000),
        "fb_ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
        "%25%32%65%25%32%65%25%32%66",
    ];

    private static readonly string[] ForgedProjectKeys =
        ["pk_live_" + new string('x', 40), "pk_live_'%20or%20''eq''", "pk_test_abc", "sk_live_notaprojectkey", "", "pk_live_..%2F..%2F", new string('k', 5000)];

    private static readonly string[] ForgedSecretKeys =
        ["sk_live_" + new string('x', 40), "sk_live_'%20or%201%20eq%201", "pk_live_notasecret", "Bearer", "sk_live_" + new string('z', 5000)];

    private static readonly (string Name, string Body)[] HostileBodies =
    [
        ("not-json", "hello, world"),
        ("truncated", """{"title":"x","description":"half a str"""),
        ("truncated-object", """{"score":7,"body":"x","""),
        ("deep", new string('[', 5000) + new string(']', 5000)),
        ("deep-object", string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)),
        ("null", "null"),
        ("array", "[]"),
        ("string", "\"text\""),
        ("number", "12"),
        ("duplicate-keys", """{"body":"a","body":"b","description":"a","description":"b","score":5,"score":6,"item_type":"bug","item_type":"idea","email":"a@b.example","email":"c@d.example","conversation_id":"x","conversation_id":"y","url":"https://a.example","url":"https://b.example","name":"a","name":"b","title":"a","title":"b","message":"a","message":"b"}"""),
        ("raw-nul", "{\"title\":\"a\u0000b\",\"description\":\"a\u0000b\",\"body\":\"a\u0000b\"}"),
        ("wrong-types", """{"title":[],"description":{},"body":[],"item_type":5,"score":"7","rating":"five","comment":[],"message":{},"conversation_id":5,"survey_id":[],"answers":"all","email":5,"role":[],"name":{},"url":5,"events":"all","status":5,"note":[],"assigned_to":5,"reason":{},"questions":"q","theme":5,"is_active":"yes","allowed_origins":"*","starts_at":5,"ends_at":[],"notify":"yes","resume_at":5,"metadata":"m","customer_email":[],"category":[],"client_id":[],"client_message_id":{},"attachment_ids":"att","user_id":[],"scopes":5,"expires_at":[],"enabled":"yes","value":{},"confirm":"yes"}"""),
        ("out-of-range", """{"score":1e400,"rating":-1e400,"body":"x","description":"x","item_type":"bug","network_logs":[{"duration_ms":1e400,"status":1e400}],"viewport":{"width":-1,"height":1e12},"element":{"rect":{"x":1e400,"y":-1e400,"width":-5,"height":1e400}},"limit":-1,"expires_in_days":-1e400,"frequency_days":1e400,"submitter":{"user_id":1e400,"email":-1},"customer_email":1e400,"page":{"url":1e400},"resume_at":"not-a-time","client_message_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}"""),
        ("overlong-strings", "{\"title\":\"" + new string('t', 300_000) + "\",\"description\":\"" + new string('d', 300_000) + "\",\"body\":\"" + new string('b', 300_000) + "\",\"item_type\":\"bug\",\"score\":5,\"rating\":3,\"email\":\"a@b.example\",\"role\":\"viewer\",\"name\":\"" + new string('n', 300_000) + "\"}"),
        ("over-limit", "{\"description\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"item_type\":\"bug\"}"),
        ("odata-injection", """{"body":"x","item_type":"bug' or 1 eq 1 or 'x","survey_id":"srv_' or RowKey ne '","conversation_id":"conv_' or 1 eq 1 or '","assigned_to":"usr_' or ''='","status":"new' or Status ne '","score":"5 or 1 eq 1","email":"a' or 1 eq 1@x.example","role":"admin' or '1'='1","url":"https://a.example/'%20or%201%20eq%201","description":"x","events":["*' or 1 eq 1"],"attachment_ids":["att_../../etc/passwd"],"answers":[{"question_id":"../../x","value":"' or 1 eq 1"}],"rating":"5 or 1 eq 1","customer_email":"x' or 1 eq 1","submitter":{"email":"' or ''='"},"page":{"url":"https://a.example/' or 1 eq 1","path":"' or 1 eq 1"},"resume_at":"not-a-time","client_message_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}"""),
        ("path-traversal", """{"body":"../../etc/passwd","item_type":"../../../etc/passwd","survey_id":"../../surveys","conversation_id":"..\\..\\conv","assigned_to":"../users/usr_x","attachment_ids":["../../att_x"],"url":"file:///etc/passwd","email":"../@x","role":"../admin","score":"../7","rating":"../7","customer_email":"../../etc/passwd","submitter":{"email":"../../etc/passwd"},"page":{"url":"file:///etc/passwd","path":"../../etc/passwd"},"resume_at":"not-a-time","client_message_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}"""),
    ];

    private static readonly (string Name, string Body)[] InvalidStrings =
    [
        ("lone-surrogate", """{"title":"\ud800","description":"\ud800","body":"\ud800","message":"\ud800","comment":"\ud800","name":"\ud800","email":"\ud800@x.example","note":"\ud800","reason":"\ud800","client_id":"\ud800","client_message_id":"\ud800","item_type":"bug","score":5,"rating":3,"conversation_id":"\udfff","metadata":{"\ud800":"\udc00x"}}"""),
    ];

    private static readonly string[] WrongContentTypes =
        ["application/xml", "application/x-www-form-urlencoded", "multipart/form-data", "image/png; charset=utf-8", "application/octet-stream"];

    /// <summary>Query values that are never a valid id, time, number or cursor.</summary>
    private static readonly string[] HostileQueryValues =
    [
        "'%20or%201%20eq%201%20or%20'", "..%2F..%2Fetc%2Fpasswd", "%00", "-1", "1e400", "99999999999999999999", "not-a-value",
        string.Join(',', Enumerable.Repeat("x", 700)), new string('q', 4000), "wdg_'%20or%20''%3D'",
    ];

    /// <summary>The filters each GET reads (beyond auth): the corpus puts hostile values in every one.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> QueryFilters = new Dictionary<string, string[]>
    {
        ["/v1/feedback"] = ["status", "from", "to", "widget_id", "sort", "limit", "page", "cursor"],
        ["/v1/responses"] = ["kind", "from", "to", "widget_id", "survey_id", "limit", "page", "cursor"],
        ["/v1/analytics/summary"] = ["period", "group_by"],
        ["/v1/conversations"] = ["status", "limit", "page", "cursor"],
        ["/v1/conversations/{id}/messages"] = ["after", "limit"],
        ["/v1/widget/survey"] = ["id"],
        ["/v1/widget/messenger/history"] = ["conversation_id", "after", "limit", "wait"],
        ["/v1/privacy/export"] = ["email"], // user_id is the site's own, any text
    };

    /// <summary>Route families whose writes read a JSON body before anything else (their hostile bodies go to a real resource).</summary>
    private static readonly HashSet<string> BodyFirstRoutes =
    [
        "PATCH /v1/feedback/{id}", "PATCH /v1/widgets/{id}", "POST /v1/widgets/{id}/pause", "POST /v1/conversations/{id}/messages", "PATCH /v1/conversations/{id}",
    ];

    public static IEnumerable<HostileRequest> Build(CorpusTenants tenants)
    {
        foreach (var (pattern, methods) in Routes())
        {
            if (!pattern.StartsWith("/v1/", StringComparison.Ordinal) || pattern == "/v1/openapi.json")
            {
                continue; // the catch-all, diagnostics and the public OpenAPI document take no input
            }
            foreach (var method in methods.Where(m => m != "OPTIONS"))
            {
                foreach (var request in ForEndpoint(method, pattern, Parameters(pattern), tenants))
                {
                    yield return request;
                }
            }
        }
    }

    /// <summary>Every HTTP function's route (<c>/v1/…</c>) and methods (upper case), as the worker's build declares them.</summary>
    private static IEnumerable<(string Pattern, IReadOnlyList<string> Methods)> Routes() =>
        FunctionsMetadata.HttpFunctions().Select(f => ("/" + f.Path.Trim('/'), (IReadOnlyList<string>)f.Methods.Select(m => m.ToUpperInvariant()).ToList()));

    private static List<string> Parameters(string pattern) =>
        System.Text.RegularExpressions.Regex.Matches(pattern, @"\{\*?([A-Za-z0-9_]+)").Select(m => m.Groups[1].Value).ToList();

    /// <summary>Requests whose strings are invalid text (issue 11 §3), for every write endpoint.</summary>
    public static IEnumerable<HostileRequest> BuildInvalidStrings(CorpusTenants tenants)
    {
        foreach (var (pattern, methods) in Routes())
        {
            if (!pattern.StartsWith("/v1/", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var method in methods.Where(m => m is "POST" or "PATCH" or "PUT"))
            {
                var api = Api(pattern);
                var path = BodyFirstRoutes.Contains($"{method} {pattern}") ? Fill(pattern, tenants.OwnIds, own: true) : Fill(pattern, tenants.OwnIds, own: false);
                foreach (var (name, body) in InvalidStrings)
                {
                    yield return new HostileRequest($"{InvalidStringsClass}:{name}", method, path, Encoding.UTF8.GetBytes(body), "application/json", Auth(api, tenants, write: true));
                    // The same fields holding raw bytes that are not UTF-8 at all.
                    var parts = body.Split(@"\ud800");
                    var invalidUtf8 = parts.SelectMany((part, i) => i == 0 ? Encoding.UTF8.GetBytes(part) : new byte[] { 0xC3, 0x28, 0xFF, 0xFE }.Concat(Encoding.UTF8.GetBytes(part))).ToArray();
                    yield return new HostileRequest($"{InvalidStringsClass}:invalid-utf8", method, path, invalidUtf8, "application/json", Auth(api, tenants, write: true));
                }
            }
        }
    }

    private enum ApiKind { Widget, Management, SignedLink }

    private static ApiKind Api(string pattern) =>
        pattern.StartsWith("/v1/widget/", StringComparison.Ordinal) ? ApiKind.Widget
        : pattern.StartsWith("/v1/attachments/", StringComparison.Ordinal) ? ApiKind.SignedLink
        : ApiKind.Management;

    private static IEnumerable<HostileRequest> ForEndpoint(string method, string pattern, List<string> parameters, CorpusTenants tenants)
    {
        var api = Api(pattern);
        var write = method is not ("GET" or "HEAD");
        var ownPath = Fill(pattern, tenants.OwnIds, own: true);
        var missingPath = Fill(pattern, tenants.OwnIds, own: false);
        var route = $"{method} {pattern}";
        var validBody = write ? Encoding.UTF8.GetBytes("""{"description":"x","item_type":"bug","body":"x","score":5}""") : null;

        // 1. Credentials: none, forged, the wrong kind, a role or origin that may not write.
        switch (api)
        {
            case ApiKind.Widget:
                yield return new HostileRequest("no-key", method, ownPath, validBody, write ? "application/json" : null);
                foreach (var key in ForgedProjectKeys)
                {
                    yield return new HostileRequest("forged-project-key", method, ownPath, validBody, write ? "application/json" : null, [("X-Project-Key", key)]);
                    if (!write)
                    {
                        yield return new HostileRequest("forged-project-key-query", method, Append(ownPath, "key=" + key), null);
                    }
                }
                yield return new HostileRequest("secret-key-as-project-key", method, ownPath, validBody, write ? "application/json" : null, [("X-Project-Key", tenants.AdminKey)]);
                if (write)
                {
                    yield return new HostileRequest("origin-not-allowed", method, ownPath, validBody, "application/json",
                        [("X-Project-Key", tenants.ProjectKey), ("Origin", "https://evil.example")]);
                }
                break;
            case ApiKind.Management:
                yield return new HostileRequest("no-key", method, ownPath, validBody, write ? "application/json" : null);
                foreach (var key in ForgedSecretKeys)
                {
                    yield return new HostileRequest("forged-secret-key", method, ownPath, validBody, write ? "application/json" : null, [("Authorization", "Bearer " + key)]);
                }
                yield return new HostileRequest("project-key-as-secret-key", method, ownPath, validBody, write ? "application/json" : null, [("Authorization", "Bearer " + tenants.ProjectKey)]);
                yield return new HostileRequest("basic-auth", method, ownPath, validBody, write ? "application/json" : null, [("Authorization", "Basic YWRtaW46YWRtaW4=")]);
                if (write)
                {
                    yield return new HostileRequest("viewer-writes", method, ownPath, validBody, "application/json", [("Authorization", "Bearer " + tenants.ViewerKey)]);
                }
                break;
            case ApiKind.SignedLink:
                foreach (var query in new[] { "", "ws=ws_x&expires=1&sig=x", "ws=%27%20or%201%20eq%201&expires=99999999999&sig=" + new string('a', 64), "expires=-1&sig=..%2F" })
                {
                    yield return new HostileRequest("forged-link", method, Append(ownPath, query), null);
                }
                break;
        }

        // 2. Hostile and foreign ids in every route parameter, with valid credentials.
        foreach (var parameter in parameters)
        {
            foreach (var id in HostileIds)
            {
                yield return new HostileRequest("hostile-id:" + parameter, method, Fill(pattern, tenants.OwnIds, own: true, parameter, id), validBody,
                    write ? "application/json" : null, Auth(api, tenants, write));
            }
            if (tenants.ForeignIds.TryGetValue(Family(pattern), out var foreign))
            {
                yield return new HostileRequest("foreign-id:" + parameter, method, Fill(pattern, tenants.OwnIds, own: true, parameter, foreign), validBody,
                    write ? "application/json" : null, Auth(api, tenants, write));
            }
        }

        // 3. Query filters: injection, traversal, out-of-range values in every filter the endpoint reads.
        if (QueryFilters.TryGetValue(pattern, out var filters))
        {
            foreach (var filter in filters)
            {
                foreach (var value in HostileQueryValues)
                {
                    var path = pattern == "/v1/widget/messenger/history" && filter != "conversation_id"
                        ? Append(ownPath, $"conversation_id={tenants.OwnConversationId}&{filter}={value}")
                        : Append(ownPath, $"{filter}={value}");
                    var headers = Auth(api, tenants, write).ToList();
                    if (pattern == "/v1/widget/messenger/history")
                    {
                        headers.Add(("X-Visitor-Token", "vt_forged"));
                    }
                    yield return new HostileRequest("hostile-query:" + filter, method, path, null, null, headers);
                }
            }
        }

        // 4. Visitor tokens across conversations and projects.
        if (pattern.StartsWith("/v1/widget/messenger/", StringComparison.Ordinal) && !pattern.EndsWith("/start", StringComparison.Ordinal))
        {
            foreach (var (conversation, token, name) in new[]
            {
                (tenants.OwnConversationId, tenants.ForeignVisitorToken, "other-projects-visitor-token"),
                (tenants.ForeignConversationId, tenants.ForeignVisitorToken, "other-projects-conversation"),
                (tenants.OwnConversationId, "vt_" + new string('0', 40), "forged-visitor-token"),
                (tenants.OwnConversationId, "", "missing-visitor-token"),
            })
            {
                var headers = Auth(api, tenants, write).Append(("X-Visitor-Token", token)).ToList();
                yield return write
                    ? new HostileRequest("visitor-token:" + name, method, ownPath, Encoding.UTF8.GetBytes($$"""{"conversation_id":"{{conversation}}","body":"hi","client_message_id":"c1"}"""), "application/json", headers)
                    : new HostileRequest("visitor-token:" + name, method, Append(ownPath, "conversation_id=" + conversation), null, null, headers);
            }
        }

        // 5. Bodies and content types of writes.
        if (write)
        {
            var target = BodyFirstRoutes.Contains(route) ? ownPath : missingPath;
            var headers = Auth(api, tenants, write: true).ToList();
            if (pattern == "/v1/users/{id}" && method == "DELETE")
            {
                headers.Add(("X-Confirm", "true"));
            }
            foreach (var (name, body) in HostileBodies)
            {
                yield return new HostileRequest("body:" + name, method, target, Encoding.UTF8.GetBytes(body), "application/json", headers);
            }
            yield return new HostileRequest("body:forged-idempotency-key", method, target, Encoding.UTF8.GetBytes("""{"description":"x","item_type":"no-such-type","submitter":{"email":"not-an-email"},"customer_email":"not-an-email","rating":0,"resume_at":"not-a-time","client_message_id":"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"}"""), "application/json",
                [.. headers, ("Idempotency-Key", new string('k', 10_000))]);
            foreach (var contentType in WrongContentTypes)
            {
                yield return new HostileRequest("content-type:" + contentType, method, target, Encoding.UTF8.GetBytes("<feedback><body>x</body></feedback>"), contentType, headers);
            }
            yield return new HostileRequest("content-type:missing", method, target, Encoding.UTF8.GetBytes("garbage"), null, headers);
        }
    }

    private static IReadOnlyList<(string Name, string Value)> Auth(ApiKind api, CorpusTenants tenants, bool write) => api switch
    {
        ApiKind.Widget => [("X-Project-Key", tenants.ProjectKey), ("Origin", tenants.AllowedOrigin)],
        ApiKind.Management => [("Authorization", "Bearer " + tenants.AdminKey)],
        _ => [],
    };

    /// <summary>The resource family a route belongs to: its first segment after <c>/v1/</c>.</summary>
    private static string Family(string pattern) => pattern.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

    /// <summary>The route with its parameters filled: the family's own id (or a well-formed id that does not exist), and <paramref name="value"/> in <paramref name="hostile"/>.</summary>
    private static string Fill(string pattern, IReadOnlyDictionary<string, string> ids, bool own, string? hostile = null, string? value = null)
    {
        var family = Family(pattern);
        var segments = pattern.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{'))
            {
                continue;
            }
            var name = segments[i].Trim('{', '}');
            segments[i] = name == hostile
                ? value!
                : own && ids.TryGetValue(name == "id" ? family : name, out var id) ? id : Missing(name == "id" ? family : name);
        }
        return string.Join('/', segments);
    }

    private static string Missing(string family) => family switch
    {
        "feedback" => "fb_",
        "widgets" => "wdg_",
        "users" => "usr_",
        "conversations" => "conv_",
        "surveys" => "srv_",
        "announcements" => "ann_",
        "webhooks" => "whk_",
        "responses" => "rsp_",
        "api-keys" => "key_",
        "attachments" => "att_",
        _ => "x_",
    } + "00000000000000000000000000";

    private static string Append(string path, string query) => query.Length == 0 ? path : path + (path.Contains('?') ? "&" : "?") + query;
}
