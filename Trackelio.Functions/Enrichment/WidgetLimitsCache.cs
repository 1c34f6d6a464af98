using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Enrichment;

/// <summary>
/// The log limits of a widget, as enrichment applies them, read from storage at most once per
/// widget and <see cref="WidgetDirectoryOptions.CacheDuration"/> per instance (the same staleness
/// the widget API accepts): a burst of submissions to one widget reads the widget once, not once each.
/// A widget deleted meanwhile leaves the defaults.
/// </summary>
public sealed class WidgetLimitsCache(IWidgetStore widgets, IMemoryCache cache, IOptions<WidgetDirectoryOptions> options)
{
    public async Task<WidgetLimits> GetAsync(string workspaceId, string widgetId, CancellationToken cancellationToken)
    {
        var key = (nameof(WidgetLimitsCache), workspaceId, widgetId);
        if (cache.TryGetValue(key, out WidgetLimits? limits) && limits is not null)
        {
            return limits;
        }
        limits = (await widgets.GetAsync(workspaceId, widgetId, cancellationToken))?.Value.Config.Limits ?? new WidgetLimits();
        cache.Set(key, limits, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.CacheDuration, Size = 1 });
        return limits;
    }
}
