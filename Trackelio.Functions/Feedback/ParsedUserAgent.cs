namespace Trackelio.Functions.Feedback;

/// <summary>A user agent split into browser, operating system and device.</summary>
public sealed record ParsedUserAgent
{
    public string Browser { get; init; } = "Other";
    public string? BrowserVersion { get; init; }
    public string Os { get; init; } = "Other";
    public string? OsVersion { get; init; }
    public string Device { get; init; } = "Other";
    public string? DeviceBrand { get; init; }
    public string? DeviceModel { get; init; }
}
