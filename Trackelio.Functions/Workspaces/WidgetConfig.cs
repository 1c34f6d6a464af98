namespace Trackelio.Functions.Workspaces;

/// <summary>
/// Everything the widget needs to render itself, as <c>GET /v1/widget/config</c> serves it
/// and the management API edits it. The defaults are a new widget's configuration.
/// </summary>
public sealed record WidgetConfig
{
    public WidgetModules Modules { get; init; } = new();
    public WidgetTheme Theme { get; init; } = new();
    public WidgetLanguages Languages { get; init; } = new();

    /// <summary>Texts per language code, then per text key.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Texts { get; init; } = DefaultTexts;

    public WidgetTrigger Trigger { get; init; } = new();

    /// <summary>Where the widget shows; null shows it everywhere.</summary>
    public TargetingRule? Targeting { get; init; }

    public IReadOnlyDictionary<string, bool> FeatureFlags { get; init; } = new Dictionary<string, bool>();
    public WidgetLimits Limits { get; init; } = new();

    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> DefaultTexts =
        new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["en"] = new Dictionary<string, string>
            {
                ["launcher"] = "Feedback",
                ["title"] = "Send us feedback",
                ["description_placeholder"] = "What happened? What did you expect?",
                ["submit"] = "Send",
                ["thanks"] = "Thank you! We read every message.",
            },
        };
}

public sealed record WidgetModules
{
    public FeedbackModule Feedback { get; init; } = new();
    public NpsModule Nps { get; init; } = new();
    public CsatModule Csat { get; init; } = new();
    public ModuleSwitch Surveys { get; init; } = new();
    public ModuleSwitch Messenger { get; init; } = new();
    public ModuleSwitch Announcements { get; init; } = new();
}

public sealed record ModuleSwitch
{
    public bool Enabled { get; init; }
}

public sealed record FeedbackModule
{
    public bool Enabled { get; init; } = true;
    public IReadOnlyList<ItemType> ItemTypes { get; init; } = [new("bug", "Bug"), new("idea", "Idea"), new("question", "Question")];
    public bool Screenshots { get; init; } = true;
    public bool Recordings { get; init; }
    public bool ConsoleCapture { get; init; } = true;
    public bool NetworkCapture { get; init; }
}

/// <summary>A kind of feedback the widget offers: <c>bug</c>, <c>idea</c>, <c>question</c> or the site's own.</summary>
public sealed record ItemType(string Id, string Label);

public sealed record NpsModule
{
    public bool Enabled { get; init; }

    /// <summary>Days before the same visitor is asked again; 0 turns the limit off.</summary>
    public int FrequencyDays { get; init; } = 90;
}

public sealed record CsatModule
{
    public bool Enabled { get; init; }
    public int ScaleMin { get; init; } = 1;
    public int ScaleMax { get; init; } = 5;
}

public sealed record WidgetTheme
{
    public string PrimaryColor { get; init; } = "#4f46e5";
    public string BackgroundColor { get; init; } = "#ffffff";
    public string TextColor { get; init; } = "#111827";

    /// <summary><c>bottom-right</c>, <c>bottom-left</c> or <c>inline</c>.</summary>
    public string Position { get; init; } = "bottom-right";

    /// <summary><c>light</c>, <c>dark</c> or <c>auto</c> (follows the visitor's system).</summary>
    public string Mode { get; init; } = "auto";
}

public sealed record WidgetLanguages
{
    public string Default { get; init; } = "en";
    public IReadOnlyList<string> Available { get; init; } = ["en"];
}

public sealed record WidgetTrigger
{
    /// <summary><c>manual</c>, <c>scroll-depth</c> or <c>exit-intent</c>.</summary>
    public string Type { get; init; } = "manual";

    /// <summary>For <c>scroll-depth</c>: how far down the page, in percent.</summary>
    public int? ScrollDepthPercent { get; init; }

    public int DelaySeconds { get; init; }
}

/// <summary>
/// A targeting rule: either a condition (<see cref="Attribute"/> <see cref="Operator"/>
/// <see cref="Value"/>) or a group of rules that must <see cref="All"/> or <see cref="Any"/> hold.
/// </summary>
public sealed record TargetingRule
{
    public IReadOnlyList<TargetingRule>? All { get; init; }
    public IReadOnlyList<TargetingRule>? Any { get; init; }
    public string? Attribute { get; init; }
    public string? Operator { get; init; }
    public string? Value { get; init; }
}

/// <summary>Per-widget limits; the defaults are the service's.</summary>
public sealed record WidgetLimits
{
    public int SubmitBodyBytes { get; init; } = 1024 * 1024;
    public long ScreenshotBytes { get; init; } = 10L * 1024 * 1024;
    public long RecordingBytes { get; init; } = 100L * 1024 * 1024;
    public int ConsoleLogEntries { get; init; } = 200;
    public int ConsoleLogEntryBytes { get; init; } = 2048;
    public int NetworkLogEntries { get; init; } = 100;
    public int NetworkLogBodyBytes { get; init; } = 2048;
    public int AttachmentsPerSubmission { get; init; } = 10;

    /// <summary>Widget writes (every POST) a minute to this widget, across all instances; null: the service's default (600).</summary>
    public int? WritesPerMinute { get; init; }

    /// <summary>Widget writes a minute from one client address to this widget, across all instances; null: the service's default (60).</summary>
    public int? WritesPerIpPerMinute { get; init; }
}
