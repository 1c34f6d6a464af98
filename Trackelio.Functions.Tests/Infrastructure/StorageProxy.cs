using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// An HTTP proxy in front of an Azurite, in the test process: one loopback port per storage service
/// (blob, queue, table), each forwarding to Azurite's as it came (raw path and query, headers, bodies
/// streamed), so an app in another process is given <see cref="ConnectionString"/> and its storage
/// requests pass through <see cref="Faults"/> and <see cref="Log"/> — the faults a network makes,
/// from outside the app, which test doubles in its container no longer reach.
/// </summary>
public sealed class StorageProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Proxy-Authorization", "Expect",
    };

    private readonly WebApplication _server;
    private readonly HttpMessageInvoker _azurite;
    private readonly Dictionary<int, (string Service, Uri Target)> _routes;

    private StorageProxy(WebApplication server, HttpMessageInvoker azurite, Dictionary<int, (string, Uri)> routes)
    {
        _server = server;
        _azurite = azurite;
        _routes = routes;
    }

    /// <summary>The faults applied to requests passing through.</summary>
    public FaultyStorage Faults { get; } = new();

    /// <summary>Every request that passed through (its method and path).</summary>
    public TableRequestLog Log { get; } = new();

    /// <summary>Azurite's account and key, with the proxy's three endpoints.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>SDK clients through this proxy, built as the app builds its own.</summary>
    public StorageAccount CreateAccount() => StorageAccount.Create(ConnectionString);

    public static async Task<StorageProxy> StartAsync(AzuriteServer azurite)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var listeners = new List<(string Service, int AzuritePort, ListenOptions Listen)>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null; // uploads pass as they are; Azurite sets the limits
            foreach (var (service, port) in new[] { ("blob", azurite.BlobPort), ("queue", azurite.QueuePort), ("table", azurite.TablePort) })
            {
                kestrel.Listen(IPAddress.Loopback, 0, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listeners.Add((service, port, listen));
                });
            }
        });
        var server = builder.Build();
        // No redirects, cookies, decompression or proxy: what Azurite answers goes back byte for byte.
        var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        });
        var routes = new Dictionary<int, (string, Uri)>();
        var proxy = new StorageProxy(server, client, routes);
        server.Run(proxy.HandleAsync);
        await server.StartAsync();

        // Kestrel writes the bound port back into each endpoint's options.
        var endpoints = new Dictionary<string, string>();
        foreach (var (service, azuritePort, listen) in listeners)
        {
            var port = listen.IPEndPoint!.Port;
            routes[port] = (service, new Uri($"http://127.0.0.1:{azuritePort}"));
            endpoints[service] = $"http://127.0.0.1:{port}/{StorageSettings.DevelopmentAccountName}";
        }
        proxy.ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={StorageSettings.DevelopmentAccountName};AccountKey={StorageSettings.DevelopmentAccountKey};" +
            $"BlobEndpoint={endpoints["blob"]};QueueEndpoint={endpoints["queue"]};TableEndpoint={endpoints["table"]};";
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var (service, target) = _routes[context.Connection.LocalPort];
        using var request = CreateRequest(context, target);
        if (service == "table" && request.Content is not null)
        {
            // A transaction names its table in its body only; table bodies are small (4 MiB at most), so a
            // match can read it. Blob bodies stream.
            await request.Content.LoadIntoBufferAsync(context.RequestAborted);
        }
        Log.Add(request.Method, request.RequestUri!.AbsolutePath,
            request.Headers.TryGetValues("x-ms-client-request-id", out var ids) ? ids.FirstOrDefault() : null);

        var fault = await Faults.DecideAsync(request, context.RequestAborted);
        if (fault == FaultyStorage.Fault.Frozen)
        {
            return; // the client gave up: nothing is left to answer
        }
        if (fault == FaultyStorage.Fault.Refused)
        {
            // Not forwarded: the caller sees its connection break, as when storage is unreachable.
            context.Abort();
            return;
        }

        HttpResponseMessage response;
        try
        {
            response = await _azurite.SendAsync(request, context.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            // Azurite is gone (killed) or the caller is: the caller's connection breaks as it would.
            context.Abort();
            return;
        }
        using (response)
        {
            if (fault == FaultyStorage.Fault.LoseResponse)
            {
                // Applied by storage; the answer is read to its end, then the caller's connection is cut.
                await response.Content.LoadIntoBufferAsync(context.RequestAborted);
                Faults.CountLost();
                context.Abort();
                return;
            }
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            await body.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }

    /// <summary>The request as it came (raw target, so what the client signed is what Azurite checks), addressed to Azurite.</summary>
    private static HttpRequestMessage CreateRequest(HttpContext context, Uri target)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, rawTarget));
        if (context.Request.ContentLength is not null || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }
        foreach (var header in context.Request.Headers)
        {
            if (HopByHop.Contains(header.Key))
            {
                continue;
            }
            if (!request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
            }
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Faults.Frozen = false;
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _server.StopAsync(grace.Token);
        }
        await _server.DisposeAsync();
        _azurite.Dispose();
    }
}
