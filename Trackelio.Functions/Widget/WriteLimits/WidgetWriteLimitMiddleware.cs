using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
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
public sealed class WidgetWriteLimitMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            await next(context);
            return;
        }
        var widget = http.RequestServices.GetRequiredService<CurrentWidget>().Widget;
        var limiter = http.RequestServices.GetRequiredService<SharedRateLimiter>();
        var defaults = http.RequestServices.GetRequiredService<IOptions<WidgetWriteLimitOptions>>().Value;
        var limits = widget.Config.Limits;

        var perClient = await limiter.AcquireAsync("widget-writes-ip", widget.Id + "|" + ClientIp.Of(http),
            limits.WritesPerIpPerMinute ?? defaults.WritesPerIpPerMinute, http.RequestAborted);
        if (!perClient.Allowed)
        {
            context.Answer(ApiError.TooManyRequests(perClient.Reset));
            return;
        }
        var perWidget = await limiter.AcquireAsync("widget-writes", widget.Id, limits.WritesPerMinute ?? defaults.WritesPerMinute, http.RequestAborted);
        if (perWidget.Allowed)
        {
            await next(context);
            return;
        }
        context.Answer(ApiError.TooManyRequests(perWidget.Reset));
    }
}

