using System.Net;
using Azure.Core.Pipeline;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Storage;

/// <summary>An <see cref="HttpClientTransport"/> over a handler that records requests and answers from a script.</summary>
internal sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, body));
        return respond(request);
    }

    public static StorageClientOptions Options(StubHandler handler)
    {
        var options = new StorageClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return options;
    }

    public static HttpResponseMessage Respond(HttpStatusCode status, string? body = null, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, System.Text.Encoding.UTF8);
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content ??= new ByteArrayContent([]);
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return response;
    }
}
