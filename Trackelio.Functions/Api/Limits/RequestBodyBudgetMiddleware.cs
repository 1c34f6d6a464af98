using Trackelio.Functions.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Api.Limits;

/// <summary>
/// Admits a request body only while the instance's <see cref="RequestBodyBudget"/> has room:
/// a body with Content-Length reserves min(length, what its endpoint holds at most) before it is
/// read; past the budget the answer is 503 + <c>Retry-After</c> in the envelope, with nothing of
/// the body held (what still comes is dropped after the answer, <see cref="UnreadBodyMiddleware"/>). A chunked body reserves as
/// it is read. The reservation is given back when the request ends, however it ends.
/// </summary>
public sealed class RequestBodyBudgetMiddleware(RequestBodyBudget budget, IOptions<RequestLimitsOptions> options) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } || http.Request.ContentLength == 0)
        {
            await next(context);
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
                Refuse(context, http, ApiError.ServerBusy(options.Value.BusyRetryAfter));
                return;
            }
        }

        var original = http.Request.Body;
        var body = new BudgetedBodyStream(original, budget, reserved, policy.HoldsAtMost, options.Value.BodyIdleTimeout, http.RequestAborted);
        http.Request.Body = body;
        try
        {
            await next(context);
        }
        catch (Exception ex) when (Inner<RequestBodyBudgetExceededException>(ex) && !http.Response.HasStarted)
        {
            Refuse(context, http, ApiError.ServerBusy(options.Value.BusyRetryAfter));
        }
        catch (Exception ex) when (Inner<RequestBodyStalledException>(ex) && !http.Response.HasStarted)
        {
            Refuse(context, http, ApiError.BodyTimeout());
        }
        finally
        {
            budget.Release(body.Reserved);
            http.Request.Body = original;
            await body.DisposeAsync();
        }
    }

    /// <summary>Answers without having read the body into memory (<see cref="UnreadBodyMiddleware"/> drops the rest once the answer is out).</summary>
    private static void Refuse(FunctionContext context, HttpContext http, ApiError error)
    {
        http.Response.Clear();
        http.Response.Headers[RequestIdMiddleware.HeaderName] = http.TraceIdentifier;
        context.Answer(error);
    }

    /// <summary>The exception, or one the worker wrapped it in (binding reads the body).</summary>
    private static bool Inner<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T)
            {
                return true;
            }
        }
        return false;
    }
}
