using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.RateLimiting;

namespace Trackelio.Functions.Widget.WriteLimits;

/// <summary>
/// Limits every widget write (each POST: submit, upload, NPS, CSAT, survey answers, messenger
/// start, message and end) per client address and per widget, across all instances: by default
/// 60 a minute from one address to one widget and 600 a minute to one widget, set per widget in
/// its config's <c>limits</c> (<c>writes_per_ip_per_minute</c>, <c>writes_per_minute</c>) or for
/// the service in <see cref="WidgetWriteLimitOptions"/>.
/// Over → 429 <c>rate_limited</c> with <c>Retry-After</c>. The address is counted first, so one
/// noisy client does not use up the widget's allowance once it is refused.
/// </summary>
public sealed class WidgetWriteLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return await next(context);
        }
        var widget = http.RequestServices.GetRequiredService<CurrentWidget>().Widget;
        var limiter = http.RequestServices.GetRequiredService<SharedRateLimiter>();
        var defaults = http.RequestServices.GetRequiredService<IOptions<WidgetWriteLimitOptions>>().Value;
        var limits = widget.Config.Limits;

        var perClient = await limiter.AcquireAsync("widget-writes-ip", widget.Id + "|" + ClientIp.Of(http),
            limits.WritesPerIpPerMinute ?? defaults.WritesPerIpPerMinute, http.RequestAborted);
        if (!perClient.Allowed)
        {
            return ApiError.TooManyRequests(perClient.Reset);
        }
        var perWidget = await limiter.AcquireAsync("widget-writes", widget.Id, limits.WritesPerMinute ?? defaults.WritesPerMinute, http.RequestAborted);
        return perWidget.Allowed ? await next(context) : ApiError.TooManyRequests(perWidget.Reset);
    }
}

public static class WidgetWriteLimitFilterExtensions
{
    /// <summary>Widget writes are limited per client address and per widget (after the project key is known).</summary>
    public static TBuilder RequireWidgetWriteLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new WidgetWriteLimitFilter());
        return builder;
    }
}
