using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Trackelio.Functions.Api.Limits;

/// <summary>
/// Admits a request body only while the instance's <see cref="RequestBodyBudget"/> has room:
/// a body with Content-Length reserves min(length, what its endpoint holds at most) before it is
/// read; past the budget the answer is 503 + <c>Retry-After</c> in the envelope, with the body
/// unread and the connection closed (so nothing of it is buffered). A chunked body reserves as
/// it is read. The reservation is given back when the request ends, however it ends.
/// </summary>
public sealed class RequestBodyBudgetMiddleware(RequestDelegate next, RequestBodyBudget budget, IOptions<RequestLimitsOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || http.Request.ContentLength == 0)
        {
            await next(http);
            return;
        }

        var policy = RequestLimits.For(http.GetEndpoint());
        if (policy.MaxBytes is { } max && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max;
        }
        long reserved = 0;
        if (http.Request.ContentLength is { } length)
        {
            reserved = Math.Min(length, policy.HoldsAtMost);
            if (!budget.TryReserve(reserved))
            {
                await RefuseAsync(http, ApiError.ServerBusy(options.Value.BusyRetryAfter));
                return;
            }
        }

        var original = http.Request.Body;
        var body = new BudgetedBodyStream(original, budget, reserved, policy.HoldsAtMost, options.Value.BodyIdleTimeout, http.RequestAborted);
        http.Request.Body = body;
        try
        {
            await next(http);
        }
        catch (RequestBodyBudgetExceededException) when (!http.Response.HasStarted)
        {
            await RefuseAsync(http, ApiError.ServerBusy(options.Value.BusyRetryAfter));
        }
        catch (RequestBodyStalledException) when (!http.Response.HasStarted)
        {
            await RefuseAsync(http, ApiError.BodyTimeout());
        }
        finally
        {
            budget.Release(body.Reserved);
            http.Request.Body = original;
            await body.DisposeAsync();
        }
    }

    /// <summary>Answers without reading the rest of the body, and closes the connection so the server does not drain it either.</summary>
    private static Task RefuseAsync(HttpContext http, ApiError error)
    {
        http.Response.Clear();
        http.Response.Headers[RequestIdMiddleware.HeaderName] = http.TraceIdentifier;
        http.Response.Headers[HeaderNames.Connection] = "close";
        return error.ExecuteAsync(http);
    }
}
