using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.RateLimiting;

namespace Trackelio.Functions.Widget.Messenger;

/// <summary>
/// Conversation starts are limited per client address (10 a minute, across all widgets) and per
/// widget (300 a minute), across all instances: 429 <c>rate_limited</c> with <c>Retry-After</c>
/// (<c>Trackelio:Messenger:StartsPerIpPerMinute</c>, <c>StartsPerWidgetPerMinute</c>).
/// </summary>
public sealed class StartLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var widget = http.RequestServices.GetRequiredService<CurrentWidget>().Widget;
        var limiter = http.RequestServices.GetRequiredService<SharedRateLimiter>();
        var options = http.RequestServices.GetRequiredService<IOptions<MessengerOptions>>().Value;

        var perClient = await limiter.AcquireAsync("messenger-start-ip", ClientIp.Of(http), options.StartsPerIpPerMinute, http.RequestAborted);
        if (!perClient.Allowed)
        {
            return ApiError.TooManyRequests(perClient.Reset);
        }
        var perWidget = await limiter.AcquireAsync("messenger-start", widget.Id, options.StartsPerWidgetPerMinute, http.RequestAborted);
        return perWidget.Allowed ? await next(context) : ApiError.TooManyRequests(perWidget.Reset);
    }
}
