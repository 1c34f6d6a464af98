using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>A real HTTP server on loopback that records what webhooks deliver, failing the first N requests on purpose.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, string Body, int Answered)> Requests { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, failFirst);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var status = Interlocked.Decrement(ref receiver._failuresLeft) >= 0 ? 500 : 200;
            receiver.Requests.Enqueue((http.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body, status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address + "/hook";
        return receiver;
    }

    public async Task<List<(IReadOnlyDictionary<string, string> Headers, string Body, int Answered)>> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        return Requests.ToList();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
