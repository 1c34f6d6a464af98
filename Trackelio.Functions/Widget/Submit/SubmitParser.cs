using System.Globalization;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Widget.Visitors;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Submit;

/// <summary>
/// Turns a <c>POST /v1/widget/submit</c> body into a <see cref="FeedbackSubmission"/>:
/// validates every field the widget API document lists (reporting every bad one), checks
/// <c>user_hash</c>, and trims captured logs to the widget's limits.
/// </summary>
public static class SubmitParser
{
    public const int MaxTitle = 200;
    public const int MaxDescription = 20_000;
    public const int MaxClientId = 255;

    public static (FeedbackSubmission Submission, string? ClientId) Parse(JsonElement body, SiteWidget widget, FieldReader fields, string? userAgentHeader)
    {
        var title = fields.String(body, "title", "title", MaxTitle);
        var description = fields.String(body, "description", "description", MaxDescription);
        if (title is null && description is null && !fields.Errors.Any(e => e.Field is "title" or "description"))
        {
            fields.Fail("description", "is required (or a title)");
        }

        var itemType = fields.String(body, "item_type", "item_type", 64, required: true);
        var itemTypes = widget.Config.Modules.Feedback.ItemTypes;
        if (itemType is not null && !itemTypes.Any(t => t.Id == itemType))
        {
            fields.Fail("item_type", "must be one of " + string.Join(", ", itemTypes.Select(t => t.Id)));
        }

        var submitter = VisitorFields.ReadSubmitter(body, widget, fields);
        var page = VisitorFields.ReadPage(body, fields);
        var viewport = fields.Object(body, "viewport", "viewport") is { } v
            ? (fields.Int(v, "width", "viewport.width", 0, 100_000, required: true), fields.Int(v, "height", "viewport.height", 0, 100_000, required: true)) switch
            {
                ({ } w, { } h) => new Viewport(w, h),
                _ => null,
            }
            : null;
        var browser = fields.Object(body, "browser", "browser") is { } b
            ? new BrowserInfo
            {
                Name = fields.String(b, "name", "browser.name", 100),
                Version = fields.String(b, "version", "browser.version", 100),
                Platform = fields.String(b, "platform", "browser.platform", 100),
            }
            : null;
        var userAgent = (browser is not null ? fields.String(FieldReader.Get(body, "browser")!.Value, "user_agent", "browser.user_agent", 1024) : null)
            ?? (userAgentHeader is { Length: > 0 and <= 1024 } ua ? ua : null);
        var sessionToken = fields.String(body, "session_token", "session_token", 256);
        var attachmentIds = ReadAttachmentIds(body, widget.Config.Limits.AttachmentsPerSubmission, fields);
        var element = ReadElement(body, fields);
        var consoleLogs = ReadConsoleLogs(body, fields);
        var networkLogs = ReadNetworkLogs(body, fields);
        var metadata = FeedbackMetadata.Read(body, fields);
        var clientId = fields.String(body, "client_id", "client_id", MaxClientId);

        var (console, consoleDropped, consoleCut) = LogLimits.TrimConsole(consoleLogs, widget.Config.Limits);
        var (network, networkDropped, bodiesCut) = LogLimits.TrimNetwork(networkLogs, widget.Config.Limits);
        var truncation = new LogTruncation
        {
            ConsoleLogs = consoleDropped,
            ConsoleLogEntriesCut = consoleCut,
            NetworkLogs = networkDropped,
            NetworkLogBodiesCut = bodiesCut,
        };

        var submission = new FeedbackSubmission
        {
            Id = "",
            WorkspaceId = widget.WorkspaceId,
            WidgetId = widget.Id,
            ReceivedAt = default,
            Title = title,
            Description = description,
            ItemType = itemType ?? "",
            Submitter = submitter,
            Page = page,
            Viewport = viewport,
            Browser = browser,
            UserAgent = userAgent,
            SessionToken = sessionToken,
            AttachmentIds = attachmentIds,
            Element = element,
            ConsoleLogs = console,
            NetworkLogs = network,
            Metadata = metadata,
            Truncated = truncation.Any ? truncation : null,
        };
        return (submission, clientId);
    }

    private static IReadOnlyList<string> ReadAttachmentIds(JsonElement body, int max, FieldReader fields)
    {
        if (fields.Array(body, "attachment_ids", "attachment_ids", max) is not { } array)
        {
            return [];
        }
        var ids = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var id = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (!Ids.IsValid(id, Ids.Attachment))
            {
                fields.Fail($"attachment_ids[{index}]", "must be an attachment id (att_…) from /v1/widget/upload");
            }
            else if (!ids.Contains(id!))
            {
                ids.Add(id!);
            }
            index++;
        }
        return ids;
    }

    private static ElementInfo? ReadElement(JsonElement body, FieldReader fields)
    {
        if (fields.Object(body, "element", "element") is not { } e)
        {
            return null;
        }
        ElementRect? rect = null;
        if (fields.Object(e, "rect", "element.rect") is { } r)
        {
            const double Max = 1_000_000;
            var x = fields.Number(r, "x", "element.rect.x", -Max, Max);
            var y = fields.Number(r, "y", "element.rect.y", -Max, Max);
            var width = fields.Number(r, "width", "element.rect.width", 0, Max);
            var height = fields.Number(r, "height", "element.rect.height", 0, Max);
            rect = new ElementRect(x ?? 0, y ?? 0, width ?? 0, height ?? 0);
        }
        return new ElementInfo
        {
            Selector = fields.String(e, "selector", "element.selector", 1000),
            Text = fields.String(e, "text", "element.text", 2000),
            Rect = rect,
        };
    }

    /// <summary>
    /// Console entries as the widget captured them. Entries are taken as they come — a
    /// message that is not a string is kept as its JSON — because captured logs are never a
    /// reason to reject what the person wrote.
    /// </summary>
    private static IReadOnlyList<ConsoleLogEntry> ReadConsoleLogs(JsonElement body, FieldReader fields)
    {
        if (fields.Array(body, "console_logs", "console_logs") is not { } array)
        {
            return [];
        }
        var entries = new List<ConsoleLogEntry>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            entries.Add(item.ValueKind == JsonValueKind.Object
                ? new ConsoleLogEntry
                {
                    Level = Text(FieldReader.Get(item, "level")) ?? "log",
                    Message = Text(FieldReader.Get(item, "message")) ?? "",
                    Timestamp = Time(FieldReader.Get(item, "timestamp"), $"console_logs[{index}].timestamp", fields),
                }
                : new ConsoleLogEntry { Message = Text(item) ?? "" });
            index++;
        }
        return entries;
    }

    private static IReadOnlyList<NetworkLogEntry> ReadNetworkLogs(JsonElement body, FieldReader fields)
    {
        if (fields.Array(body, "network_logs", "network_logs") is not { } array)
        {
            return [];
        }
        var entries = new List<NetworkLogEntry>(array.GetArrayLength());
        var index = -1;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            // Numbers the record keeps as numbers are checked like any field: the wrong type or
            // a value JSON cannot carry back out (1e400 is Infinity) is a 400 naming it.
            var path = $"network_logs[{index}]";
            entries.Add(new NetworkLogEntry
            {
                Method = Text(FieldReader.Get(item, "method")),
                Url = Text(FieldReader.Get(item, "url")),
                Status = fields.Int(item, "status", path + ".status", 0, 999),
                DurationMs = fields.Number(item, "duration_ms", path + ".duration_ms", 0, 1e9),
                RequestHeaders = Headers(FieldReader.Get(item, "request_headers")),
                ResponseHeaders = Headers(FieldReader.Get(item, "response_headers")),
                RequestBody = Text(FieldReader.Get(item, "request_body")),
                ResponseBody = Text(FieldReader.Get(item, "response_body")),
                Timestamp = Time(FieldReader.Get(item, "timestamp"), path + ".timestamp", fields),
            });
        }
        return entries;
    }

    private static string? Text(JsonElement? value) => value switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };

    /// <summary>
    /// RFC 3339 text or epoch milliseconds. Text that is not a time is dropped (browsers format
    /// times in many ways); any other JSON type, or a number out of range, is a 400 naming the field.
    /// </summary>
    private static DateTimeOffset? Time(JsonElement? value, string path, FieldReader fields)
    {
        switch (value)
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } s:
                return DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var ms) && ms is > 0 and < 253402300799999:
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            default:
                fields.Fail(path, "must be an RFC 3339 time or epoch milliseconds");
                return null;
        }
    }

    private static Dictionary<string, string>? Headers(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } headers)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers.EnumerateObject())
        {
            result[header.Name] = Text(header.Value) ?? "";
        }
        return result;
    }
}
