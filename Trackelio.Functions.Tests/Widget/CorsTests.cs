using System.Net;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Widget;

[Collection(AppCollection.Name)]
public sealed class CorsTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private static HttpRequestMessage Preflight(string url, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "x-project-key, content-type, idempotency-key");
        return request;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    [Fact]
    public async Task Preflight_from_an_allowed_origin_is_granted_with_methods_headers_and_max_age()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.SendAsync(Preflight($"/v1/widget/submit?key={workspace.ProjectKey}", "https://shop.example"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://shop.example", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        var allowedHeaders = Header(response, "Access-Control-Allow-Headers")!;
        foreach (var header in new[] { "X-Project-Key", "Content-Type", "Idempotency-Key", "X-Visitor-Token" })
        {
            Assert.Contains(header, allowedHeaders, StringComparison.Ordinal);
        }
        Assert.Equal("3600", Header(response, "Access-Control-Max-Age"));
        Assert.Contains("Origin", Header(response, "Vary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_from_a_disallowed_origin_gets_no_grant()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.SendAsync(Preflight($"/v1/widget/submit?key={workspace.ProjectKey}", "https://evil.example"));

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task Preflight_matches_wildcard_subdomains()
    {
        var workspace = await app.CreateWorkspaceAsync("https://*.shop.example");

        var allowed = await _client.SendAsync(Preflight($"/v1/widget/upload?key={workspace.ProjectKey}", "https://eu.shop.example"));
        var apex = await _client.SendAsync(Preflight($"/v1/widget/upload?key={workspace.ProjectKey}", "https://shop.example"));

        Assert.Equal("https://eu.shop.example", Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Null(Header(apex, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Write_from_a_disallowed_origin_is_403_origin_not_allowed_and_stores_nothing()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), origin: "https://evil.example"));

        await response.AssertErrorAsync(403, "origin_not_allowed");
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Write_from_an_allowed_origin_is_granted()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), origin: "https://shop.example"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("https://shop.example", Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("X-Request-Id", Header(response, "Access-Control-Expose-Headers"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_from_a_disallowed_origin_is_served_without_a_grant()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/widget/config?key={workspace.ProjectKey}");
        request.Headers.Add("Origin", "https://evil.example");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Widget_allowing_any_origin_grants_every_origin()
    {
        var workspace = await app.CreateWorkspaceAsync("*");

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), origin: "https://anyone.example"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("https://anyone.example", Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Requests_without_an_origin_are_allowed()
    {
        var workspace = await app.CreateWorkspaceAsync("https://shop.example");

        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback()));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Key_errors_are_readable_by_the_page()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/widget/config?key=pk_live_unknownunknownunknown");
        request.Headers.Add("Origin", "https://shop.example");

        var response = await _client.SendAsync(request);

        await response.AssertErrorAsync(401, "invalid_project_key");
        Assert.Equal("https://shop.example", Header(response, "Access-Control-Allow-Origin"));
    }
}
