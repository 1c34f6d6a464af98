using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Packaging;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// <c>publish/trackelio-functions.zip</c> read as the Functions host reads an app: host.json at the
/// root, its custom handler executable, and one folder per function whose <c>function.json</c> the
/// host accepts. The rules are the host's (Azure/azure-functions-host at 89dc438d):
/// <c>Utility.FunctionNameValidationRegex</c> and <c>BindingNameValidationRegex</c>,
/// <c>ScriptHost.ValidateHttpFunction</c> and <c>HttpRoutesConflict</c>,
/// <c>FunctionMetadataExtensions.IsHttpInAndOutFunction</c> (only such functions are forwarded as
/// plain HTTP requests), <c>HttpWorkerOptions</c> (the <c>customHandler</c> section).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PackageZipTests(TrackelioApp app)
{
    private static readonly Regex FunctionName = new(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex BindingName = new(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$");
    private static readonly Regex QueueName = new("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$");
    private static readonly string[] HttpMethods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

    private sealed record Package(ZipArchive Zip, JsonNode Host, IReadOnlyDictionary<string, JsonNode> Functions) : IDisposable
    {
        public void Dispose() => Zip.Dispose();
    }

    private static async Task<Package> OpenAsync()
    {
        var zip = ZipFile.OpenRead(await PackagedApp.ZipAsync());
        var host = JsonNode.Parse(Read(zip.GetEntry("host.json") ?? throw new Xunit.Sdk.XunitException("host.json is not at the root of the zip.")))!;
        var functions = zip.Entries
            .Where(e => e.FullName.Split('/') is [_, "function.json"])
            .ToDictionary(e => e.FullName.Split('/')[0], e => JsonNode.Parse(Read(e))!, StringComparer.Ordinal);
        return new Package(zip, host, functions);
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    private static IEnumerable<JsonNode> Bindings(JsonNode function) => function["bindings"]!.AsArray().Select(b => b!);

    private static string Text(JsonNode binding, string name) => binding[name]?.GetValue<string>() ?? "";

    [Fact]
    public async Task Custom_handler_named_by_host_json_is_an_executable_made_by_unix_in_the_zip()
    {
        using var package = await OpenAsync();
        var (zip, host) = (package.Zip, package.Host);
        var customHandler = host["customHandler"]!.AsObject();
        var description = customHandler["description"]!;
        var path = Path.Combine(Text(description, "workingDirectory"), Text(description, "defaultExecutablePath")).Replace('\\', '/');

        var entry = zip.GetEntry(path);

        Assert.NotNull(entry);
        Assert.Equal(FunctionZip.RegularFile, (entry.ExternalAttributes >> 16) & 0xF000);
        Assert.True((FunctionZip.UnixMode(entry) & UnixFileMode.UserExecute) != 0, $"{path} has mode {FunctionZip.UnixMode(entry)}: not executable");
        Assert.Equal(3, HostSystems(await PackagedApp.ZipAsync())[path]); // 3 = Unix: unzip applies the mode
        // Only keys HttpWorkerOptions binds; the app is forwarded plain HTTP requests.
        Assert.All(customHandler.Select(p => p.Key), key => Assert.Contains(key, new[] { "description", "enableForwardingHttpRequest" }));
        Assert.True(customHandler["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
    }

    /// <summary>
    /// The package runs with no code generated at run time (<c>DynamicCodeSupport</c> in the project;
    /// docs/benchmarks.md "Cold start"). The in-process tests run with it on (Moq needs it), so the smoke test,
    /// which starts this package, is what exercises the app with it off.
    /// </summary>
    [Fact]
    public async Task Packaged_app_generates_no_code_at_run_time()
    {
        using var package = await OpenAsync();
        var entry = package.Zip.GetEntry("Trackelio.Functions.runtimeconfig.json");

        Assert.NotNull(entry);
        var properties = JsonNode.Parse(Read(entry))!["runtimeOptions"]!["configProperties"]!;
        Assert.False(properties["System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported"]?.GetValue<bool>() ?? true,
            "Trackelio.Functions.runtimeconfig.json does not turn dynamic code off");
    }

    [Fact]
    public async Task Every_function_json_is_valid_for_its_trigger()
    {
        using var package = await OpenAsync();
        var functions = package.Functions;
        var queueFunctions = app.Services.GetServices<QueueFunction>().ToDictionary(f => f.Name);

        Assert.NotEmpty(functions);
        foreach (var (name, function) in functions)
        {
            Assert.Matches(FunctionName, name);
            var bindings = Bindings(function).ToList();
            Assert.All(bindings, b => Assert.Matches(BindingName, Text(b, "name")));
            Assert.Equal(bindings.Count, bindings.Select(b => Text(b, "name").ToLowerInvariant()).Distinct().Count());
            var trigger = Assert.Single(bindings, b => Text(b, "type").EndsWith("Trigger", StringComparison.Ordinal));
            Assert.Equal("in", Text(trigger, "direction"));
            switch (Text(trigger, "type"))
            {
                case "httpTrigger":
                    // IsHttpInAndOutFunction: one input, one http output; only then is the request forwarded as it came.
                    var output = Assert.Single(bindings, b => b != trigger);
                    Assert.Equal(("http", "out"), (Text(output, "type"), Text(output, "direction")));
                    Assert.Contains(Text(output, "name"), new[] { "res", "$return" });
                    Assert.Contains(Text(trigger, "authLevel"), new[] { "anonymous", "function", "admin" });
                    var methods = trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
                    Assert.NotEmpty(methods);
                    Assert.All(methods, m => Assert.Contains(m, HttpMethods));
                    var route = Text(trigger, "route").Trim('/').ToLowerInvariant();
                    Assert.NotEmpty(route);
                    Assert.False(route.StartsWith("admin", StringComparison.Ordinal) || route.StartsWith("runtime", StringComparison.Ordinal), $"{name}: route {route} is reserved by the host");
                    break;
                case "queueTrigger":
                    Assert.Single(bindings);
                    Assert.Matches(QueueName, Text(trigger, "queueName"));
                    Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
                    // The invocation endpoint reads Data.<this name>.
                    Assert.Equal(QueueInvocationEndpoints.TriggerBindingName, Text(trigger, "name"));
                    Assert.True(queueFunctions.ContainsKey(name), $"{name} has a queue trigger but the app has no such queue function");
                    break;
                default:
                    Assert.Fail($"{name}: unexpected trigger {Text(trigger, "type")}");
                    break;
            }
        }
    }

    [Fact]
    public async Task No_two_http_functions_share_a_route_and_method()
    {
        using var package = await OpenAsync();
        var functions = package.Functions;
        var routes = functions
            .SelectMany(f => Bindings(f.Value).Where(b => Text(b, "type") == "httpTrigger")
                .SelectMany(t => t["methods"]!.AsArray().Select(m => (Function: f.Key, Route: Normalized(Text(t, "route")), Method: m!.GetValue<string>()))))
            .ToList();

        var clashes = routes.GroupBy(r => (r.Route, r.Method)).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(r => r.Function))}");

        Assert.NotEmpty(routes);
        Assert.Empty(clashes);
    }

    /// <summary>The host compares routes ignoring case and outer slashes; parameter names do not tell routes apart either.</summary>
    private static string Normalized(string route) => Regex.Replace(route.Trim('/').ToLowerInvariant(), @"\{[^}]*\}", "{}");

    [Fact]
    public async Task Queue_functions_are_the_apps_and_read_queues_the_app_creates_and_writes()
    {
        using var package = await OpenAsync();
        var functions = package.Functions;
        var inZip = functions
            .SelectMany(f => Bindings(f.Value).Where(b => Text(b, "type") == "queueTrigger").Select(t => (f.Key, Queue: Text(t, "queueName"))))
            .Order()
            .ToList();

        var inApp = app.Services.GetServices<QueueFunction>().Select(f => (f.Name, Queue: f.QueueName)).Order().ToList();

        // The app writes submissions (widget submit), webhooks (publisher) and webhook-outbox (flushes of events
        // stored with their writes); PackageSmokeTests follows a message through the first two.
        Assert.Equal([("DeliverWebhook", StorageNames.Queues.Webhooks), ("EnrichSubmission", StorageNames.Queues.Submissions),
            ("FlushEventOutbox", StorageNames.Queues.WebhookOutbox)], inZip);
        Assert.Equal(inApp, inZip);
        Assert.All(inZip, f => Assert.Contains(f.Queue, StorageNames.Queues.All));
    }

    [Fact]
    public async Task Every_endpoint_of_the_app_is_a_function_in_the_zip()
    {
        using var package = await OpenAsync();
        var functions = package.Functions;
        var expected = FunctionsManifest.Build(new EndpointSource(app.Services)).Select(f => f.Name).Order();

        Assert.Equal(expected, functions.Keys.Order());
    }

    /// <summary>Each entry's "version made by" host system, from the zip's central directory (APPNOTE 4.3.12, 4.4.2).</summary>
    private static Dictionary<string, int> HostSystems(string zipFile)
    {
        var bytes = File.ReadAllBytes(zipFile);
        var end = bytes.AsSpan().LastIndexOf([(byte)0x50, (byte)0x4b, (byte)0x05, (byte)0x06]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end + 16));
        var systems = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(0x02014b50u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
            systems[System.Text.Encoding.UTF8.GetString(bytes, offset + 46, nameLength)] = bytes[offset + 5];
            offset += 46 + nameLength + extraLength + commentLength;
        }
        return systems;
    }

    /// <summary>The app's endpoints seen through <see cref="Microsoft.AspNetCore.Routing.IEndpointRouteBuilder"/>, as its <c>functions</c> command sees them.</summary>
    private sealed class EndpointSource(IServiceProvider services) : Microsoft.AspNetCore.Routing.IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<Microsoft.AspNetCore.Routing.EndpointDataSource> DataSources { get; } = [services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>()];

        public Microsoft.AspNetCore.Builder.IApplicationBuilder CreateApplicationBuilder() => throw new NotSupportedException();
    }
}
