using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Trackelio.DevHost.Rpc;
using Yarp.ReverseProxy.Forwarder;

namespace Trackelio.DevHost;

/// <summary>
/// The host's HTTP side for a proxying worker: match the route (404 with an empty body when none
/// does), then at once forward the request to the worker's HttpUri (DefaultHttpProxyService) and
/// send the InvocationRequest (GrpcWorkerChannel.SendInvocationRequest). Bodies stream both ways.
/// </summary>
internal sealed class HttpFrontDoor(HttpRouteTable routes, FunctionInvoker invoker, IHttpForwarder forwarder, HttpMessageInvoker proxyClient)
{
    // DefaultHttpProxyService: ForwarderRequestConfig { ActivityTimeout = 240 s }.
    private static readonly ForwarderRequestConfig ForwarderConfig = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };

    /// <summary>ScriptConstants.HttpProxyCorrelationHeader; the worker pairs the request and the invocation by it.</summary>
    internal const string CorrelationHeader = "x-ms-invocation-id";

    public async Task HandleAsync(HttpContext context)
    {
        var match = routes.Match(context);
        if (match is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var (function, routeValues) = match.Value;
        var httpUri = invoker.Channel.HttpUri
            ?? throw new InvalidOperationException("The worker did not advertise HttpUri: only ASP.NET Core integration (ConfigureFunctionsWebApplication) is supported.");

        var request = FunctionInvoker.NewRequest(function, context.Request.Headers.TraceParent, context.Request.Headers.TraceState);
        // ToRpcHttp: a proxying worker gets an empty RpcHttp; the request itself goes over HTTP.
        request.InputData.Add(new ParameterBinding { Name = function.TriggerBindingName, Data = new TypedData { Http = new RpcHttp() } });
        AddTriggerMetadata(request, context.Request, routeValues);

        // DefaultHttpProxyService uses TryAdd, which keeps a client's own value; the dev host
        // overwrites it so a client cannot pair its request with another invocation.
        context.Request.Headers[CorrelationHeader] = request.InvocationId;
        var forwarding = forwarder.SendAsync(context, httpUri.ToString(), proxyClient, ForwarderConfig).AsTask();
        await invoker.InvokeAsync(function, "http", request, async () =>
        {
            var error = await forwarding;
            return error == ForwarderError.None ? null : $"Failed to proxy request with ForwarderError: {error}";
        });
    }

    /// <summary>
    /// HttpTriggerAttributeBindingProvider's binding data, less the request itself
    /// (RpcHttpTriggerMetadataRemoved): route values, then Query and Headers as dictionaries
    /// (TypedData json, Json.NET's SerializeObject in ToRpcDefault).
    /// </summary>
    private static void AddTriggerMetadata(InvocationRequest request, HttpRequest http, RouteValueDictionary routeValues)
    {
        foreach (var (key, value) in routeValues)
        {
            if (value is not null)
            {
                request.TriggerMetadata[key] = new TypedData { String = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "" };
            }
        }
        var query = http.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        request.TriggerMetadata["Query"] = new TypedData { Json = JsonSerializer.Serialize(query) };
        var headers = http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        request.TriggerMetadata["Headers"] = new TypedData { Json = JsonSerializer.Serialize(headers) };
    }

    /// <summary>DefaultHttpProxyService's client: no redirects, no cookies, wrapped in RetryProxyHandler.</summary>
    public static HttpMessageInvoker CreateProxyClient(Action<string>? log)
        => new(new RetryProxyHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false }, log));
}

/// <summary>
/// RetryProxyHandler: retries a request that could not reach the worker (HttpRequestException),
/// 10 attempts, 50 ms doubling to 250 ms, which covers a worker whose Kestrel is not listening yet.
/// </summary>
internal sealed class RetryProxyHandler(HttpMessageHandler inner, Action<string>? log) : DelegatingHandler(inner)
{
    internal const int MaxRetries = 10;
    internal const int InitialDelay = 50;
    internal const int MaximumDelay = 250;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var delay = InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException) when (attempt < MaxRetries)
            {
                log?.Invoke($"[host] Failed to proxy request to the worker. Retrying in {delay}ms. Attempt {attempt} of {MaxRetries}.");
                await Task.Delay(delay, cancellationToken);
                delay = Math.Min(delay * 2, MaximumDelay);
            }
        }
    }
}
