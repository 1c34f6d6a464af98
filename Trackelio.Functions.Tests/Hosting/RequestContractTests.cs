using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using Trackelio.Functions.Composition;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// The requests in the OpenAPI document are the ones the code reads: every endpoint that takes a
/// JSON body (a <see cref="Body{T}"/> parameter) declares it with its schema, every query parameter
/// its records read (<see cref="QueryParameter"/> metadata; <see cref="QueryReader"/> reads no
/// other) is declared, and nothing outside those two reads a body or a query string by hand.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RequestContractTests(TrackelioApp app)
{
    private static readonly string[] Writes = ["POST", "PUT", "PATCH"];

    [Fact]
    public async Task Every_write_that_takes_json_declares_its_body_with_a_schema()
    {
        var paths = await PathsAsync();
        var checkedOperations = 0;
        var missing = new List<string>();
        foreach (var (endpoint, path, method) in Operations().Where(o => Writes.Contains(o.Method)))
        {
            var takesJson = endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()!.GetParameters()
                .Any(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(Body<>));
            if (!takesJson)
            {
                continue;
            }
            checkedOperations++;
            var operation = paths.GetProperty(path).GetProperty(method.ToLowerInvariant());
            if (!(operation.TryGetProperty("requestBody", out var body)
                && body.GetProperty("content").TryGetProperty("application/json", out var json)
                && json.TryGetProperty("schema", out var schema) && schema.EnumerateObject().Any()))
            {
                missing.Add($"{method} {path}");
            }
        }

        Assert.Empty(missing);
        Assert.True(checkedOperations >= 25, $"only {checkedOperations} operations take a JSON body: the handlers no longer bind Body<T>?");
    }

    [Fact]
    public async Task Every_endpoint_that_takes_a_file_declares_it_raw_and_as_a_form()
    {
        var paths = await PathsAsync();
        var files = Operations().Where(o => o.Endpoint.Metadata.GetMetadata<BinaryRequestBodyAttribute>() is not null).ToList();

        Assert.Contains(files, o => o.Path == "/v1/widget/upload" && o.Method == "POST");
        foreach (var (_, path, method) in files)
        {
            var content = paths.GetProperty(path).GetProperty(method.ToLowerInvariant()).GetProperty("requestBody").GetProperty("content");
            Assert.Equal("binary", content.GetProperty("application/octet-stream").GetProperty("schema").GetProperty("format").GetString());
            var form = content.GetProperty("multipart/form-data").GetProperty("schema");
            Assert.Equal("binary", form.GetProperty("properties").GetProperty("file").GetProperty("format").GetString());
            Assert.Equal("file", form.GetProperty("required")[0].GetString());
        }
    }

    [Fact]
    public async Task Every_query_parameter_an_endpoint_reads_is_declared()
    {
        var paths = await PathsAsync();
        var declared = 0;
        var missing = new List<string>();
        foreach (var (endpoint, path, method) in Operations())
        {
            var operation = paths.GetProperty(path).GetProperty(method.ToLowerInvariant());
            var documented = operation.TryGetProperty("parameters", out var parameters)
                ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()).ToHashSet()
                : [];
            foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<QueryParameter>()
                .Where(p => !p.IsPrefix && (p.Methods is null || p.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))))
            {
                declared++;
                if (!documented.Contains(parameter.Name))
                {
                    missing.Add($"{method} {path} ?{parameter.Name}");
                }
            }
        }

        Assert.Empty(missing);
        Assert.True(declared >= 40, $"only {declared} query parameters are declared: the handlers no longer bind Query<T>?");
    }

    [Fact]
    public void A_query_parameter_that_is_not_declared_cannot_be_read()
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?limit=5&secret=1");
        var reader = new QueryReader(http.Request, [new QueryParameter("limit", "How many.", QueryValue.Integer)]);

        Assert.Equal("5", reader["limit"]);
        var refused = Assert.Throws<InvalidOperationException>(() => reader["secret"]);
        Assert.Contains("'secret'", refused.Message);
    }

    /// <summary>
    /// Only the request records read bodies and query strings (through <see cref="JsonBody"/> and
    /// <see cref="QueryReader"/>), so what they declare is all that is read. The project key's
    /// <c>?key=</c> is read by its filter, which declares it beside the read.
    /// </summary>
    [Fact]
    public void Nothing_else_reads_a_json_body_or_the_query_string()
    {
        var source = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions");
        var allowed = new Dictionary<string, string>
        {
            ["Api/Requests/Body.cs"] = "reads the body for Body<T>",
            ["Api/Requests/QueryReader.cs"] = "reads declared query parameters",
            ["Widget/ProjectKeyMiddleware.cs"] = "reads ?key=, which the document declares for [ProjectKeyAuth] functions",
            ["Widget/Cors/WidgetCors.cs"] = "a CORS preflight's ?key= (OPTIONS is not an operation of the document)",
            ["Targeting/TargetingEngine.cs"] = "FromQuery, for callers outside the endpoints (widget GETs use VisitorQuery)",
        };
        var reads = new Regex(@"JsonBody\.Read|[Rr]equest\.Query\b|\bIQueryCollection\b|ReadFromJsonAsync|ReadFormAsync");
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (File: Path.GetRelativePath(source, f).Replace('\\', '/'), Text: File.ReadAllText(f)))
            .Where(f => !allowed.ContainsKey(f.File) && reads.IsMatch(f.Text))
            .Select(f => f.File)
            .ToList();

        Assert.Empty(offenders);
    }

    private async Task<JsonElement> PathsAsync() =>
        JsonDocument.Parse(await (await app.CreateClient().GetAsync("/v1/openapi.json")).Content.ReadAsStringAsync()).RootElement.GetProperty("paths").Clone();

    /// <summary>The functions as the document's generator maps them: endpoints with what their parameters declare.</summary>
    private static readonly Lazy<WebApplication> Described = new(OpenApiDocumentGenerator.BuildApp);

    private static IEnumerable<(RouteEndpoint Endpoint, string Path, string Method)> Operations() =>
        from endpoint in Described.Value.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        from method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods
        select (endpoint, endpoint.RoutePattern.RawText!, method);
}
