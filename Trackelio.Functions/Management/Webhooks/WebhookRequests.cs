using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Management.Webhooks;

/// <summary>
/// <c>POST /v1/webhooks</c> (<c>url</c> and <c>events</c> required) and <c>PATCH /v1/webhooks/{id}</c>
/// (any of them): the target must be a public http(s) address (<see cref="WebhookTargetGuard"/>).
/// </summary>
public sealed record WebhookRequest : IJsonRequest<WebhookRequest>
{
    public static long MaxBytes => 16 * 1024;

    public string? Url { get; init; }

    /// <summary>Event types, or <c>["*"]</c> for all.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>On <c>PATCH</c>, <c>null</c> or <c>""</c> removes the description (<see cref="ClearsDescription"/>).</summary>
    public string? Description { get; init; }
    public bool? Enabled { get; init; }

    /// <summary>The body names <c>description</c> with nothing in it: a change removes the description.</summary>
    internal bool ClearsDescription { get; init; }

    public static async ValueTask<WebhookRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var creating = HttpMethods.IsPost(http.Request.Method);
        var url = fields.String(body, "url", "url", 2048, required: creating);
        if (url is not null && await http.RequestServices.GetRequiredService<WebhookTargetGuard>().ProblemWithAsync(url, http.RequestAborted) is { } problem)
        {
            fields.Fail("url", problem);
            url = null;
        }
        var events = ReadEvents(body, fields, required: creating);
        var description = fields.String(body, "description", "description", 500);
        var clearsDescription = description is null && body.TryGetProperty("description", out var named)
            && (named.ValueKind == JsonValueKind.Null || named.ValueKind == JsonValueKind.String && named.GetString()!.Trim().Length == 0);
        var enabled = creating ? null : fields.Bool(body, "enabled", "enabled");
        return new WebhookRequest { Url = url, Events = events, Description = description, ClearsDescription = clearsDescription, Enabled = enabled };
    }

    private static List<string>? ReadEvents(JsonElement body, FieldReader fields, bool required)
    {
        if (fields.Array(body, "events", "events", 20) is not { } array)
        {
            if (required && !fields.Errors.Any(e => e.Field == "events"))
            {
                fields.Fail("events", "is required: a list of event types, or [\"*\"] for all");
            }
            return null;
        }
        var events = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            var name = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (name is null || !(name == "*" || WebhookEvents.All.Contains(name)))
            {
                fields.Fail("events", $"'{name}' is not an event; use {string.Join(", ", WebhookEvents.All)} or *");
                return null;
            }
            events.Add(name);
        }
        if (events.Count == 0)
        {
            fields.Fail("events", "must name at least one event");
            return null;
        }
        return events.Distinct().ToList();
    }
}

/// <summary><c>GET /v1/webhooks/{id}/deliveries</c>: how many, newest first.</summary>
public sealed record DeliveriesQuery(int Limit) : IQueryRequest<DeliveriesQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } = [new("limit", "Deliveries at most, 1 to 200 (default 50).", QueryValue.Integer)];

    public static DeliveriesQuery? Read(QueryReader query, FieldReader fields) => new(query.Int("limit", 1, 200, 50, fields));
}
