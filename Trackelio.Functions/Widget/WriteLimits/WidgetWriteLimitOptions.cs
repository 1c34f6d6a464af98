namespace Trackelio.Functions.Widget.WriteLimits;

/// <summary>The service's widget-write limits, for widgets whose config sets none (<c>Trackelio:WidgetWrites</c>).</summary>
public sealed class WidgetWriteLimitOptions
{
    /// <summary>Writes a minute to one widget: ten a second, far above a site's feedback, answers and chat together.</summary>
    public int WritesPerMinute { get; set; } = 600;

    /// <summary>Writes a minute from one address to one widget: a post with ten screenshots several times over, or a lively chat, even behind a shared NAT.</summary>
    public int WritesPerIpPerMinute { get; set; } = 60;
}
