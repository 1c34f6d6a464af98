using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Widgets;

/// <summary>
/// <c>POST /v1/widgets</c> (<c>name</c> required) and <c>PATCH /v1/widgets/{id}</c>: <c>name</c>,
/// <c>allowed_origins</c>, <c>is_active</c>, <c>position</c> (shorthand for <c>theme.position</c>), and
/// the config's sections as a JSON merge patch (RFC 7396: objects merge, <c>null</c> removes,
/// anything else replaces). The patched config is validated whole: on create when the request is
/// read (against the defaults), on update against the stored widget, where it is applied.
/// </summary>
public sealed record WidgetRequest : IJsonRequest<WidgetRequest>
{
    public static long MaxBytes => 256 * 1024;

    /// <summary>Top-level fields that belong to the widget's config.</summary>
    private static readonly string[] ConfigFields = ["modules", "theme", "languages", "texts", "trigger", "targeting", "feature_flags", "limits"];

    public string? Name { get; init; }
    public IReadOnlyList<string>? AllowedOrigins { get; init; }
    public bool? IsActive { get; init; }
    public string? Position { get; init; }
    public JsonElement? Modules { get; init; }
    public JsonElement? Theme { get; init; }
    public JsonElement? Languages { get; init; }
    public JsonElement? Texts { get; init; }
    public JsonElement? Trigger { get; init; }
    public JsonElement? Targeting { get; init; }
    public JsonElement? FeatureFlags { get; init; }
    public JsonElement? Limits { get; init; }

    public static async ValueTask<WidgetRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var creating = HttpMethods.IsPost(http.Request.Method);
        if (!creating)
        {
            foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("name" or "allowed_origins" or "is_active" or "position") && !ConfigFields.Contains(p.Name)))
            {
                fields.Fail(property.Name, "cannot be changed here");
            }
        }
        JsonElement? Section(string name) => body.TryGetProperty(name, out var value) ? value : null;
        var request = new WidgetRequest
        {
            Name = fields.String(body, "name", "name", 200, required: creating),
            AllowedOrigins = fields.Array(body, "allowed_origins", "allowed_origins", 100) is { } origins
                ? WidgetConfigValidator.Origins(origins.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null), fields)
                : null,
            IsActive = fields.Bool(body, "is_active", "is_active"),
            Modules = Section("modules"),
            Theme = Section("theme"),
            Languages = Section("languages"),
            Texts = Section("texts"),
            Trigger = Section("trigger"),
            Targeting = Section("targeting"),
            FeatureFlags = Section("feature_flags"),
            Limits = Section("limits"),
            Position = fields.String(body, "position", "position", 32),
        };
        // The patched config is checked here too, so its errors are answered with the rest: against
        // the defaults, or the stored widget (the update checks it again on the copy it changes).
        var current = creating ? new WidgetConfig() : (await StoredAsync(http))?.Config;
        if (current is not null)
        {
            request.PatchConfig(current, fields);
        }
        return request;
    }

    private static async Task<SiteWidget?> StoredAsync(HttpContext http) =>
        http.Request.RouteValues["id"] is string id && Ids.IsValid(id, Ids.Widget)
            ? await http.RequestServices.GetRequiredService<IWidgetStore>().FindAsync(
                http.RequestServices.GetRequiredService<CurrentMember>().WorkspaceId, id, http.RequestAborted)
            : null;

    /// <summary>The widget with this request applied; a field error for each thing the patched config gets wrong.</summary>
    public SiteWidget ApplyTo(SiteWidget widget, FieldReader fields)
    {
        widget = widget with
        {
            Name = Name ?? widget.Name,
            AllowedOrigins = AllowedOrigins?.ToList() ?? widget.AllowedOrigins,
            IsActive = IsActive ?? widget.IsActive,
        };
        return PatchConfig(widget.Config, fields) is { } config ? widget with { Config = config } : widget;
    }

    private WidgetConfig? PatchConfig(WidgetConfig current, FieldReader fields)
    {
        var config = JsonSerializer.SerializeToNode(current, TrackelioJson.Options)!.AsObject();
        foreach (var (field, value) in new[] { ("modules", Modules), ("theme", Theme), ("languages", Languages), ("texts", Texts), ("trigger", Trigger),
            ("targeting", Targeting), ("feature_flags", FeatureFlags), ("limits", Limits) })
        {
            if (value is { } patch)
            {
                config[field] = MergePatch(config[field], JsonNode.Parse(patch.GetRawText()));
            }
        }
        if (Position is not null)
        {
            config["theme"]!["position"] = Position;
        }

        WidgetConfig? patched;
        try
        {
            patched = config.Deserialize<WidgetConfig>(TrackelioJson.Options);
        }
        catch (JsonException ex)
        {
            fields.Fail(ex.Path is { Length: > 2 } path ? path[2..] : "config", "has the wrong type");
            return null;
        }
        if (patched is null)
        {
            fields.Fail("config", "is invalid");
            return null;
        }
        WidgetConfigValidator.Validate(patched, fields);
        return patched;
    }

    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch;
        }
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value.DeepClone());
            }
        }
        return result;
    }
}

/// <summary><c>POST /v1/widgets/{id}/pause</c>: why, and until when (both optional; no body at all is fine).</summary>
public sealed record PauseRequest : IJsonRequest<PauseRequest>
{
    public static long MaxBytes => 16 * 1024;
    public static bool MayBeEmpty => true;

    public string? Reason { get; init; }

    /// <summary>When it resumes by itself; in the future.</summary>
    public DateTimeOffset? ResumeAt { get; init; }

    public static ValueTask<PauseRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var reason = fields.String(body, "reason", "reason", 500);
        DateTimeOffset? resumeAt = null;
        if (fields.String(body, "resume_at", "resume_at", 64) is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                fields.Fail("resume_at", "must be an RFC 3339 time");
            }
            else if (parsed <= http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow())
            {
                fields.Fail("resume_at", "must be in the future");
            }
            else
            {
                resumeAt = parsed.ToUniversalTime();
            }
        }
        return ValueTask.FromResult<PauseRequest?>(new PauseRequest { Reason = reason, ResumeAt = resumeAt });
    }
}

/// <summary><c>POST /v1/widgets/{id}/resume</c>: whether to send the <c>widget.resumed</c> webhook (no body at all is fine).</summary>
public sealed record ResumeRequest : IJsonRequest<ResumeRequest>
{
    public static long MaxBytes => 16 * 1024;
    public static bool MayBeEmpty => true;

    public bool? Notify { get; init; }

    public static ValueTask<ResumeRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http) =>
        ValueTask.FromResult<ResumeRequest?>(new ResumeRequest { Notify = fields.Bool(body, "notify", "notify") });
}
