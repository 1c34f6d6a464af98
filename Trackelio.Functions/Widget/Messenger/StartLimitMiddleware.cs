using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.RateLimiting;

namespace Trackelio.Functions.Widget.Messenger;

/// <summary>
/// Conversation starts are limited per client address (10 a minute, across all widgets) and per
/// widget (300 a minute), across all instances: 429 <c>rate_limited</c> with <c>Retry-After</c>
/// (<c>Trackelio:Messenger:StartsPerIpPerMinute</c>, <c>StartsPerWidgetPerMinute</c>).
/// Runs for the functions marked <see cref="StartLimitedAttribute"/>, so it runs before the
/// module check and the request is read (as when it was the endpoint's own filter and both were in the handler).
/// </summary>
public sealed class StartLimitMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (http.GetEndpoint()?.Metadata.GetMetadata<StartLimitedAttribute>() is null)
        {
            await next(context);
        }
        var widget = http.RequestServices.GetRequiredService<CurrentWidget>().Widget;
        var limiter = http.RequestServices.GetRequiredService<SharedRateLimiter>();
        var options = http.RequestServices.GetRequiredService<IOptions<MessengerOptions>>().Value;

        var perClient = await limiter.AcquireAsync("messenger-start-ip", ClientIp.Of(http), options.StartsPerIpPerMinute, http.RequestAborted);
        if (!perClient.Allowed)
        {
            context.Answer(ApiError.TooManyRequests(perClient.Reset));
            return;
        }
        var perWidget = await limiter.AcquireAsync("messenger-start", widget.Id, options.StartsPerWidgetPerMinute, http.RequestAborted);
        if (perWidget.Allowed)
        {
            await next(context);
            return;
        }
        context.Answer(ApiError.TooManyRequests(perWidget.Reset));
    }
}

/// <summary>Marks the endpoint that starts conversations (limited by <see cref="StartLimitFilter"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StartLimitedAttribute : Attribute;

