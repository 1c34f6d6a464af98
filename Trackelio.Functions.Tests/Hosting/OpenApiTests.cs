using System.Text.Json;
using Trackelio.Functions.Composition;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

[Collection(AppCollection.Name)]
public sealed class OpenApiTests(TrackelioApp app)
{
    /// <summary>Functions that are not part of the API: the document itself, and the bench's storage counters.</summary>
    private static readonly string[] Undocumented = ["OpenApiDocument", "StorageRequestCounts", "MemoryFigures", "NotFound", "Dashboard"];

    [Fact]
    public async Task Every_function_is_an_operation_and_every_operation_a_function()
    {
        var paths = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "openapi", "trackelio.json"))).RootElement.GetProperty("paths");
        var functions = FunctionsMetadata.HttpFunctions().Where(f => !Undocumented.Contains(f.Name)).ToList();

        var declared = functions.SelectMany(f => f.Methods.Where(m => m != "options").Select(m => $"{m.ToUpperInvariant()} {f.Path} {(m == "head" ? f.Name + "Head" : f.Name)}")).Order().ToList();
        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(o => o.Name != "parameters")
                .Select(o => $"{o.Name.ToUpperInvariant()} {path.Name} {o.Value.GetProperty("operationId").GetString()}"))
            .Order().ToList();

        Assert.Equal(declared, documented);
        Assert.All(Undocumented, name => Assert.Contains(FunctionsMetadata.HttpFunctions(), f => f.Name == name));
    }

    [Fact]
    public void Every_path_parameter_of_a_function_is_a_parameter_of_its_method()
    {
        foreach (var function in FunctionCatalog.All.Where(f => f.HttpTrigger is { Route: not null }))
        {
            var routeValues = System.Text.RegularExpressions.Regex.Matches(function.HttpTrigger!.Route!, @"\{(\w+)\}").Select(m => m.Groups[1].Value);
            var parameters = function.Method.GetParameters().Select(p => p.Name).ToList();
            Assert.All(routeValues, value => Assert.Contains(value, parameters));
        }
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
    public async Task The_committed_document_is_the_one_generated_from_the_functions_and_the_one_served()
    {
        var generated = Normalize(await OpenApiDocumentGenerator.GenerateAsync());
        var path = Path.Combine(RepositoryRoot.Path, "openapi", "trackelio.json");
        if (Environment.GetEnvironmentVariable("TRACKELIO_WRITE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, generated);
        }

        Assert.True(File.Exists(path) && await File.ReadAllTextAsync(path) == generated,
            "openapi/trackelio.json is not the document generated from the functions; regenerate it with scripts/openapi.sh");
        Assert.Equal(generated, Normalize(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()));
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

    [Fact]
    public async Task The_user_update_body_and_the_confirmation_header_are_described_as_the_handlers_read_them()
    {
        var root = JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement;
        var schemas = root.GetProperty("components").GetProperty("schemas");
        JsonElement Resolve(JsonElement schema)
        {
            if (schema.TryGetProperty("oneOf", out var options))
            {
                schema = options.EnumerateArray().Single(o => o.TryGetProperty("$ref", out _));
            }
            return schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
        }

        // PATCH /v1/users/{id}: name, role and the nested notifications object, nothing else (UpdateUserRequest.ReadAsync).
        var body = Resolve(root.GetProperty("paths").GetProperty("/v1/users/{id}").GetProperty("patch").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["name", "notifications", "role"], body.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        var notifications = Resolve(body.GetProperty("properties").GetProperty("notifications"));
        Assert.Equal(["assigned", "new_feedback", "widget_resumed"], notifications.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.False(notifications.TryGetProperty("required", out _)); // each is optional: only those given change
        Assert.Equal(["off", "instant", "daily"], Resolve(notifications.GetProperty("properties").GetProperty("new_feedback"))
            .GetProperty("enum").EnumerateArray().Select(v => v.GetString()));

        // What cannot be undone declares its confirmation header.
        foreach (var (path, method) in new[] { ("/v1/users/{id}", "delete"), ("/v1/privacy/erase", "post") })
        {
            var confirm = root.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == "X-Confirm");
            Assert.Equal("header", confirm.GetProperty("in").GetString());
            Assert.True(confirm.GetProperty("required").GetBoolean());
            Assert.Equal(["true"], confirm.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        }
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
