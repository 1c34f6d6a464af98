using Trackelio.Functions.Api;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Widget.Cors;

/// <summary>
/// Answers preflight <c>OPTIONS</c> requests to the widget API (each widget function lists
/// <c>options</c>, because the host forwards a method only to a function that lists it; the
/// platform's CORS setting stays empty). Browsers send no custom headers on a preflight, so the
/// project key is known only when the URL carries <c>?key=</c>: then a disallowed origin gets no
/// grant. Without it the preflight is granted (it permits nothing by itself): the real request is
/// checked against the widget.
/// </summary>
public sealed class WidgetPreflightMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (!HttpMethods.IsOptions(http.Request.Method))
        {
            await next(context);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status204NoContent;
        WidgetCors.AddVaryOrigin(http.Response.Headers);
        var origin = WidgetCors.Origin(http.Request);
        if (origin is null || !await WidgetCors.PreflightAllowedAsync(http, origin))
        {
            return;
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowMethods = WidgetCors.AllowedMethods;
        headers.AccessControlAllowHeaders = WidgetCors.AllowedHeaders;
        headers.AccessControlMaxAge = WidgetCors.MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
