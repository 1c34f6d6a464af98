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

    [Fact]
    public async Task The_exported_document_is_the_one_the_app_serves()
    {
        var served = Normalize(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync());
        var path = Path.Combine(RepositoryRoot.Path, "openapi", "trackelio.json");
        if (Environment.GetEnvironmentVariable("TRACKELIO_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path) && await File.ReadAllTextAsync(path) == served,
            "openapi/trackelio.json is not the document the app serves; regenerate it with scripts/openapi.sh");
    }

    [Fact]
    public async Task Each_operation_declares_the_scheme_its_callers_use()
    {
        var paths = JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement.GetProperty("paths");

        string? Scheme(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security) && security.GetArrayLength() > 0
                ? security[0].EnumerateObject().Single().Name
                : null;

        Assert.Equal("SecretKey", Scheme("/v1/widgets", "get"));
        Assert.Equal("SecretKey", Scheme("/v1/widgets/{id}/pause", "post"));
        Assert.Equal("ProjectKey", Scheme("/v1/widget/config", "get"));
        Assert.Equal("ProjectKey", Scheme("/v1/widget/submit", "post"));
        Assert.Null(Scheme("/v1/attachments/{id}/content", "get"));
        Assert.True(paths.GetProperty("/v1/widget/nps").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(paths.GetProperty("/v1/widget/submit").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    [Fact]
    public async Task Every_success_with_a_body_declares_its_content_type_and_schema()
    {
        var paths = JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
        var bare = new List<string>();
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is not "parameters" and not "head"))
            {
                if (operation.Value.GetProperty("responses").TryGetProperty("200", out var ok)
                    && (!ok.TryGetProperty("content", out var content) || !content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _))))
                {
                    bare.Add($"{operation.Name.ToUpperInvariant()} {path.Name}");
                }
            }
        }

        Assert.Empty(bare);
        Assert.Equal("string", paths.GetProperty("/widget/v1/trackelio.js").GetProperty("get").GetProperty("responses").GetProperty("200")
            .GetProperty("content").GetProperty("text/javascript").GetProperty("schema").GetProperty("type").GetString());
        var download = paths.GetProperty("/v1/attachments/{id}/content").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["image/png", "image/jpeg", "image/webp", "video/webm", "video/mp4"], download.EnumerateObject().Select(c => c.Name));
        var schema = download.GetProperty("video/mp4").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement
                .GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        Assert.Equal(("string", "binary"), (schema.GetProperty("type").GetString(), schema.GetProperty("format").GetString()));
    }

    /// <summary>The document as it is kept in the repository: indented.</summary>
    private static string Normalize(string document) =>
        System.Text.Json.Nodes.JsonNode.Parse(document)!.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";

    [Fact]
    public async Task The_exported_document_passes_redocly_lint_without_errors()
    {
        var redocly = Path.Combine(RepositoryRoot.Path, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(redocly), "@redocly/cli is not installed: run scripts/setup.sh (npm ci installs it from package-lock.json).");
        var start = new System.Diagnostics.ProcessStartInfo("node", [redocly, "lint", "--format=stylish", Path.Combine("openapi", "trackelio.json")])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"redocly lint failed ({process.ExitCode}):\n{await output}\n{await errors}");
    }
}
