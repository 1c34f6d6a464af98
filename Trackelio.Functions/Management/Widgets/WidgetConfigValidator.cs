using System.Text.RegularExpressions;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;
using Trackelio.Functions.Targeting;

namespace Trackelio.Functions.Management.Widgets;

/// <summary>What a widget's configuration and origins may hold.</summary>
public static partial class WidgetConfigValidator
{
    public static readonly string[] Positions = ["bottom-right", "bottom-left", "inline"];
    public static readonly string[] Modes = ["light", "dark", "auto"];
    public static readonly string[] Triggers = ["manual", "scroll-depth", "exit-intent"];

    public static void Validate(WidgetConfig config, FieldReader fields)
    {
        var theme = config.Theme;
        if (!Positions.Contains(theme.Position))
        {
            fields.Fail("theme.position", "must be one of " + string.Join(", ", Positions));
        }
        if (!Modes.Contains(theme.Mode))
        {
            fields.Fail("theme.mode", "must be one of " + string.Join(", ", Modes));
        }
        foreach (var (name, color) in new[] { ("primary_color", theme.PrimaryColor), ("background_color", theme.BackgroundColor), ("text_color", theme.TextColor) })
        {
            if (color is null || !HexColor().IsMatch(color))
            {
                fields.Fail("theme." + name, "must be a hex colour like #4f46e5");
            }
        }
        if (!Triggers.Contains(config.Trigger.Type))
        {
            fields.Fail("trigger.type", "must be one of " + string.Join(", ", Triggers));
        }
        if (config.Trigger.ScrollDepthPercent is < 1 or > 100)
        {
            fields.Fail("trigger.scroll_depth_percent", "must be from 1 to 100");
        }
        if (config.Trigger.DelaySeconds is < 0 or > 3600)
        {
            fields.Fail("trigger.delay_seconds", "must be from 0 to 3600");
        }

        var languages = config.Languages;
        if (languages.Available is null || languages.Available.Count is 0 or > 50 || languages.Available.Any(l => l is null || !LanguageCode.IsValid(l)))
        {
            fields.Fail("languages.available", "must list 1 to 50 language codes like en or de-CH");
        }
        else if (!languages.Available.Contains(languages.Default))
        {
            fields.Fail("languages.default", "must be one of languages.available");
        }

        var types = config.Modules.Feedback.ItemTypes;
        if (types is null || types.Count is 0 or > 20 || types.Any(t => t is null || !ItemTypeId().IsMatch(t.Id ?? "") || string.IsNullOrWhiteSpace(t.Label) || t.Label.Length > 100))
        {
            fields.Fail("modules.feedback.item_types", "must list 1 to 20 types, each with an id (a-z, 0-9, _ or -, ≤ 64) and a label (≤ 100)");
        }
        var csat = config.Modules.Csat;
        if (csat.ScaleMin != 1 || csat.ScaleMax is not (3 or 5 or 7 or 10))
        {
            fields.Fail("modules.csat", "the scale is 1–3, 1–5, 1–7 or 1–10 (scale_min 1)");
        }
        if (config.Modules.Nps.FrequencyDays is < 0 or > 3650)
        {
            fields.Fail("modules.nps.frequency_days", "must be from 0 (no limit) to 3650");
        }

        Targeting.TargetingEngine.Validate(config.Targeting, fields, "targeting");

        var limits = config.Limits;
        Range(fields, "limits.submit_body_bytes", limits.SubmitBodyBytes, 1024, 4 * 1024 * 1024);
        Range(fields, "limits.screenshot_bytes", limits.ScreenshotBytes, 1024, 50L * 1024 * 1024);
        Range(fields, "limits.recording_bytes", limits.RecordingBytes, 1024, 100L * 1024 * 1024);
        Range(fields, "limits.console_log_entries", limits.ConsoleLogEntries, 0, 1000);
        Range(fields, "limits.console_log_entry_bytes", limits.ConsoleLogEntryBytes, 128, 16 * 1024);
        Range(fields, "limits.network_log_entries", limits.NetworkLogEntries, 0, 500);
        Range(fields, "limits.network_log_body_bytes", limits.NetworkLogBodyBytes, 0, 16 * 1024);
        Range(fields, "limits.attachments_per_submission", limits.AttachmentsPerSubmission, 0, 20);
        Range(fields, "limits.writes_per_minute", limits.WritesPerMinute ?? 1, 1, 1_000_000);
        Range(fields, "limits.writes_per_ip_per_minute", limits.WritesPerIpPerMinute ?? 1, 1, 1_000_000);
    }

    /// <summary>The origins in canonical form; a field error for each that is not an origin.</summary>
    public static List<string> Origins(IEnumerable<string?> origins, FieldReader fields)
    {
        var result = new List<string>();
        var index = 0;
        foreach (var origin in origins)
        {
            if (origin is not null && OriginMatcher.Normalize(origin) is { } normalized)
            {
                result.Add(normalized);
            }
            else
            {
                fields.Fail($"allowed_origins[{index}]", "must be an origin like https://shop.example, a wildcard like https://*.example.com, or *");
            }
            index++;
        }
        return result.Distinct().ToList();
    }

    private static void Range(FieldReader fields, string name, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            fields.Fail(name, $"must be from {min} to {max}");
        }
    }

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex HexColor();


    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex ItemTypeId();
}
