using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Trackelio.Functions.Api;

/// <summary>
/// <c>HEAD</c> on a <c>GET</c> function (each lists <c>head</c> beside <c>get</c> in its trigger): the
/// request runs as the <c>GET</c> it stands for (same status, same headers: <c>ETag</c>, 304 on
/// <c>If-None-Match</c>, the error envelope's status), and the body is dropped.
/// </summary>
public sealed class HeadRequestMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await next(context);
            return;
        }
        http.Request.Method = HttpMethods.Get;
        var body = http.Response.Body;
        http.Response.Body = Stream.Null;
        try
        {
            await next(context);
            // The answer is executed after the middleware returns (by the worker): it must see HEAD's empty body too.
            if (context.GetInvocationResult().Value is IResult result)
            {
                await result.ExecuteAsync(http);
                context.GetInvocationResult().Value = null;
            }
        }
        finally
        {
            http.Response.Body = body;
            http.Request.Method = HttpMethods.Head;
        }
    }
}
