namespace Trackelio.Functions.Api;

/// <summary>
/// <c>HEAD</c> on any <c>GET</c> endpoint: the request runs as the <c>GET</c> it stands for (same
/// status, same headers: <c>ETag</c>, 304 on <c>If-None-Match</c>, the error envelope's status), and
/// the body is dropped. It runs before routing, so every GET endpoint, present and future,
/// answers HEAD; the generated <c>function.json</c> lists <c>head</c> beside every <c>get</c>.
/// </summary>
public sealed class HeadRequestMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        HttpMethods.IsHead(context.Request.Method) ? AsGetAsync(context) : next(context);

    private async Task AsGetAsync(HttpContext context)
    {
        context.Request.Method = HttpMethods.Get;
        var body = context.Response.Body;
        context.Response.Body = Stream.Null;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
            context.Request.Method = HttpMethods.Head;
        }
    }
}
