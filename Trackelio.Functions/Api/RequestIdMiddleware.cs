namespace Trackelio.Functions.Api;

/// <summary>Gives every request a <c>req_…</c> id, in <c>X-Request-Id</c> and in the envelope's <c>meta.request_id</c>.</summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var id = Ids.New(Ids.Request);
        context.TraceIdentifier = id;
        context.Response.Headers[HeaderName] = id;
        return next(context);
    }
}
