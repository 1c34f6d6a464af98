using System.Text;
using System.Text.Json.Nodes;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>A valid request to start mutating from.</summary>
public sealed record FuzzTemplate(string Method, string Path, string? Json, string Api);

/// <summary>A mutated request and how it was made (to print beside a failure).</summary>
public sealed record FuzzCase(long Seed, string Method, string Path, byte[]? Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers, IReadOnlyList<string> Mutations)
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
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    public override string ToString()
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        return $"seed {Seed}: {Method} {Path} [{string.Join(", ", Mutations)}] {(body.Length > 400 ? body[..400] + "…" : body)}";
    }
}

/// <summary>
/// A seeded mutator of valid requests: each case is a function of its seed alone, so a failing
/// one is re-run exactly with <c>scripts/fuzz.sh --seed N --count 1</c>. Mutations: drop, retype or
/// blow up a field (huge numbers, long strings, deep nesting, wrong types), duplicate a key,
/// truncate or splice the bytes, change or drop the content type and the credentials, put
/// hostile text in the path. Text stays valid UTF-8 without lone surrogates: invalid text is
/// issue 11 §3 (the contract branch); the hostile corpus keeps its pending rows.
/// </summary>
public static class RequestFuzzer
{
    private static readonly string[] Strings =
        ["", " ", "\u0000", "' or 1 eq 1 or '", "../../etc/passwd", "%00", "\u202E", "😀", new string('x', 70_000), "fb_00000000000000000000000000", "null", "<script>", "\\", "\"", "1e400"];

    private static readonly JsonNode?[] Values =
    [
        null, true, false, 0, -1, int.MaxValue, long.MinValue, 1.5, 1e300, -0.0,
        JsonNode.Parse("1e400"), JsonNode.Parse("[]"), JsonNode.Parse("{}"), JsonNode.Parse(new string('[', 20) + "1" + new string(']', 20)),
        JsonNode.Parse("{\"a\":{\"b\":{\"c\":[1,2,{\"d\":null}]}}}"), JsonNode.Parse("[\"" + new string('y', 5000) + "\"]"),
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "text/plain", "application/json; charset=latin1", "application/xml", "multipart/form-data; boundary=x", "", "application/merge-patch+json", "*/*"];

    public static FuzzCase Make(long seed, IReadOnlyList<FuzzTemplate> templates, Func<string, IReadOnlyList<(string, string)>> auth)
    {
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var template = templates[random.Next(templates.Count)];
        var json = template.Json is null ? null : JsonNode.Parse(template.Json);
        var path = template.Path;
        var contentType = template.Json is null ? null : "application/json";
        var headers = auth(template.Api).ToList();
        var mutations = new List<string>();
        byte[]? rawBody = null;

        for (var step = random.Next(1, 4); step > 0; step--)
        {
            switch (random.Next(10))
            {
                case 0 or 1 or 2 when json is JsonObject obj && obj.Count > 0:
                    {
                        var (key, target) = PickProperty(obj, random);
                        var value = random.Next(3) == 0 ? JsonValue.Create(Strings[random.Next(Strings.Length)]) : Values[random.Next(Values.Length)]?.DeepClone();
                        target[key] = value;
                        mutations.Add($"{key}={Short(value?.ToJsonString() ?? "null")}");
                        break;
                    }
                case 3 when json is JsonObject obj && obj.Count > 0:
                    {
                        var (key, target) = PickProperty(obj, random);
                        target.Remove(key);
                        mutations.Add("drop " + key);
                        break;
                    }
                case 4 when json is not null:
                    {
                        var text = json.ToJsonString();
                        rawBody = Encoding.UTF8.GetBytes(text[..random.Next(text.Length)]);
                        mutations.Add("truncate");
                        break;
                    }
                case 5 when json is JsonObject obj && obj.Count > 0:
                    {
                        var text = json.ToJsonString();
                        var first = obj.First().Key;
                        rawBody = Encoding.UTF8.GetBytes(text.Insert(1, $"\"{first}\":{Values[random.Next(Values.Length)]?.ToJsonString() ?? "null"},"));
                        mutations.Add("duplicate " + first);
                        break;
                    }
                case 6:
                    contentType = ContentTypes[random.Next(ContentTypes.Length)];
                    mutations.Add("content-type " + (contentType.Length == 0 ? "none" : contentType));
                    if (contentType.Length == 0)
                    {
                        contentType = null;
                    }
                    break;
                case 7:
                    headers = random.Next(3) switch
                    {
                        0 => [],
                        1 => [.. headers.Select(h => (h.Item1, h.Item2 + "x"))],
                        _ => [.. headers, ("Idempotency-Key", Strings[random.Next(Strings.Length)].Replace("\u0000", "", StringComparison.Ordinal))],
                    };
                    mutations.Add("headers");
                    break;
                case 8 when json is not null:
                    {
                        var bytes = (rawBody ?? Encoding.UTF8.GetBytes(json.ToJsonString())).ToList();
                        var at = random.Next(bytes.Count + 1);
                        while (at > 0 && at < bytes.Count && bytes[at - 1] == '\\')
                        {
                            at++; // never inside an escape: that could leave a lone surrogate (issue 11 §3, pending)
                        }
                        var splice = "{}[],:\"\\0123456789-eE+. tnf"[random.Next(27)];
                        bytes.Insert(at, (byte)splice);
                        rawBody = [.. bytes];
                        mutations.Add($"splice '{splice}' at {at}");
                        break;
                    }
                default:
                    {
                        var segments = path.Split('?')[0].Split('/');
                        var index = random.Next(2, segments.Length);
                        segments[index] = Uri.EscapeDataString(Strings[random.Next(Strings.Length)] is { Length: > 0 and < 4000 } s ? s.Replace("\u0000", "", StringComparison.Ordinal) : "x");
                        path = string.Join('/', segments) + (path.Contains('?') ? "?" + path.Split('?', 2)[1] : "");
                        mutations.Add("path " + Short(segments[index]));
                        break;
                    }
            }
        }
        var body = rawBody ?? (json is null ? null : Encoding.UTF8.GetBytes(json.ToJsonString()));
        return new FuzzCase(seed, template.Method, path, body, contentType, headers, mutations);
    }

    /// <summary>A property somewhere in the object (one level down, sometimes).</summary>
    private static (string Key, JsonObject Target) PickProperty(JsonObject obj, Random random)
    {
        var (key, value) = obj.ElementAt(random.Next(obj.Count));
        return value is JsonObject inner && inner.Count > 0 && random.Next(2) == 0
            ? (inner.ElementAt(random.Next(inner.Count)).Key, inner)
            : (key, obj);
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
