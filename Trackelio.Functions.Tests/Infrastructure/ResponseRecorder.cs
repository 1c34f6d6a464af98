using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Records every response the app under test gives (operation, status, content type, body) to
/// <c>.trackelio/contract/responses-*.jsonl</c>, so that <c>scripts/contract-check.mjs</c> can check
/// each against the OpenAPI document's schema for its operation and status after the run. It sits
/// in the tests' HTTP clients and names the operation by the function whose route and method the
/// request matched, as the host routes it.
/// </summary>
public sealed class ResponseRecorder(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private const int MaxBodyBytes = 512 * 1024;
    private static readonly Lock Gate = new();
    private static readonly string LogPath = Path.Combine(RepositoryRoot.Path, ".trackelio", "contract", $"responses-{Environment.ProcessId}.jsonl");

    /// <summary>The documented functions' routes, as the host matches them.</summary>
    private static readonly Lazy<IReadOnlyList<(string Route, TemplateMatcher Matcher, string[] Methods)>> Routes = new(() =>
        FunctionCatalog.All
            .Where(f => f.HttpTrigger is { Route: not null } && !f.Has<ExcludeFromDescriptionAttribute>())
            .Select(f => ("/" + f.HttpTrigger!.Route, new TemplateMatcher(TemplateParser.Parse(f.HttpTrigger.Route!), new RouteValueDictionary()),
                f.HttpTrigger.Methods!.Select(m => m.ToUpperInvariant()).ToArray()))
            .ToList());

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var route = OperationOf(request);
        if (route is null)
        {
            return response; // not an operation of the document (unknown routes, preflights, diagnostics)
        }
        // Read the body as the caller will, and hand it back unread: the first MaxBodyBytes are kept.
        string? body = null;
        if (response.Content.Headers.ContentLength is null or <= MaxBodyBytes && !IsStream(response))
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            body = bytes.Length <= MaxBodyBytes ? Encoding.UTF8.GetString(bytes) : null;
        }
        var line = JsonSerializer.Serialize(new
        {
            method = request.Method.Method,
            path = route,
            status = (int)response.StatusCode,
            content_type = response.Content.Headers.ContentType?.ToString(),
            body,
        });
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
            File.AppendAllText(LogPath, line + "\n");
        }
        return response;
    }

    /// <summary>Downloads are not buffered (a test may read a large one as a stream); their bodies are not JSON anyway.</summary>
    private static bool IsStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/", StringComparison.Ordinal);

    private static string? OperationOf(HttpRequestMessage request)
    {
        if (request.Method == HttpMethod.Options || request.RequestUri is null)
        {
            return null;
        }
        var path = request.RequestUri.AbsolutePath;
        foreach (var (route, matcher, methods) in Routes.Value)
        {
            if (methods.Contains(request.Method.Method) && matcher.TryMatch(path, new RouteValueDictionary()))
            {
                return route;
            }
        }
        return null;
    }
}
