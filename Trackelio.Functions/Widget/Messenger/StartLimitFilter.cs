using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.RateLimiting;

namespace Trackelio.Functions.Widget.Messenger;

/// <summary>
/// Conversation starts are limited per client address (10 a minute, across all widgets) and per
/// widget (300 a minute), across all instances: 429 <c>rate_limited</c> with <c>Retry-After</c>
/// (<c>Trackelio:Messenger:StartsPerIpPerMinute</c>, <c>StartsPerWidgetPerMinute</c>).
/// A group filter for the endpoints marked <see cref="StartLimitedAttribute"/>, so it runs before the
/// module check and the request is read (as when it was the endpoint's own filter and both were in the handler).
/// </summary>
public sealed class StartLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<StartLimitedAttribute>() is null)
        {
            return await next(context);
        }
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

/// <summary>Marks the endpoint that starts conversations (limited by <see cref="StartLimitFilter"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StartLimitedAttribute : Attribute;

public static class StartLimitFilterExtensions
{
    /// <summary>The group's conversation start is limited per client address and per widget.</summary>
    public static TBuilder RequireStartLimits<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new StartLimitFilter());
        return builder;
    }
}
