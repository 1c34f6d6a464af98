using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

[Collection(AppCollection.Name)]
public sealed class OpenApiTests(TrackelioApp app)
{
    [Fact]
    public async Task Every_endpoint_is_described_with_its_method()
    {
        var document = await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync();
        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths");

        var endpoints = app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<NotAFunctionAttribute>() is null && e.RoutePattern.RawText != "/v1/openapi.json");
        var missing = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var path = "/" + FunctionsManifest.Route(endpoint.RoutePattern);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _))
                {
                    missing.Add($"{method} {path}");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Both_authentication_schemes_and_the_error_envelope_are_described()
    {
        var root = JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement;

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.True(schemes.TryGetProperty("ProjectKey", out _));
        Assert.True(schemes.TryGetProperty("SecretKey", out _));
        var listFeedback = root.GetProperty("paths").GetProperty("/v1/feedback").GetProperty("get");
        Assert.True(listFeedback.GetProperty("responses").TryGetProperty("429", out _));
        Assert.True(listFeedback.TryGetProperty("security", out _));
    }
}
