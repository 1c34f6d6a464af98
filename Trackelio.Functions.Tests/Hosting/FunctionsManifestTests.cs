using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

[Collection(AppCollection.Name)]
public sealed class FunctionsManifestTests(TrackelioApp app)
{
    private IReadOnlyList<RouteEndpoint> MappedEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<NotAFunctionAttribute>() is null)
            .ToList();

    private IReadOnlyList<FunctionDefinition> Functions() =>
        FunctionsManifest.Build(new EndpointSource(app.Services.GetRequiredService<EndpointDataSource>(), app.Services));

    [Fact]
    public void Every_mapped_endpoint_has_exactly_one_function_with_its_route_and_methods()
    {
        var endpoints = MappedEndpoints();
        var functions = Functions();

        var httpFunctions = functions.Where(f => f.FunctionJson["bindings"]![0]!["type"]!.GetValue<string>() == "httpTrigger").ToList();

        Assert.NotEmpty(endpoints);
        Assert.Equal(
            endpoints.Select(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName).Order(),
            httpFunctions.Select(f => f.Name).Order());
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName;
            var trigger = functions.Single(f => f.Name == name).FunctionJson["bindings"]![0]!;
            Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
            Assert.Equal("anonymous", trigger["authLevel"]!.GetValue<string>());
            Assert.Equal(endpoint.RoutePattern.RawText!.Trim('/'), trigger["route"]!.GetValue<string>());
            var methods = trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
            Assert.All(endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods, m => Assert.Contains(m.ToLowerInvariant(), methods));
        }
    }

    [Fact]
    public void Every_queue_function_has_a_queue_trigger_on_its_queue()
    {
        var queueFunctions = app.Services.GetServices<QueueFunction>().ToList();
        var functions = Functions();

        Assert.NotEmpty(queueFunctions);
        foreach (var queueFunction in queueFunctions)
        {
            var trigger = functions.Single(f => f.Name == queueFunction.Name).FunctionJson["bindings"]![0]!;
            Assert.Equal("queueTrigger", trigger["type"]!.GetValue<string>());
            Assert.Equal(queueFunction.QueueName, trigger["queueName"]!.GetValue<string>());
            Assert.Equal("AzureWebJobsStorage", trigger["connection"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Widget_endpoints_accept_cors_preflight_through_their_function()
    {
        var submit = Functions().Single(f => f.Name == "WidgetSubmit").FunctionJson["bindings"]![0]!["methods"]!.AsArray().Select(m => m!.GetValue<string>());

        Assert.Equal(["post", "options"], submit);
    }

    [Fact]
    public void Widget_config_is_a_function_and_the_host_probe_is_not()
    {
        var names = Functions().Select(f => f.Name).ToList();

        Assert.Contains("WidgetConfig", names);
        Assert.DoesNotContain("HostProbe", names);
    }

    [Fact]
    public void The_widget_script_is_a_function_of_its_own()
    {
        var trigger = Functions().Single(f => f.Name == "WidgetScript").FunctionJson["bindings"]![0]!;

        Assert.Equal("widget/v1/trackelio.js", trigger["route"]!.GetValue<string>());
        Assert.Equal(["get", "head"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Write_creates_one_function_json_per_function()
    {
        var directory = Directory.CreateTempSubdirectory("trackelio-functions-").FullName;
        try
        {
            var functions = Functions();

            FunctionsManifest.Write(functions, directory);

            var written = Directory.GetDirectories(directory).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(functions.Select(f => f.Name).Order(), written);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "WidgetConfig", "function.json")))!;
            Assert.Equal("v1/widget/config", json["bindings"]![0]!["route"]!.GetValue<string>());
            Assert.Equal("http", json["bindings"]![1]!["type"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The app's endpoints seen through <see cref="IEndpointRouteBuilder"/>, as the command sees them.</summary>
    internal sealed class EndpointSource(EndpointDataSource source, IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;
        public ICollection<EndpointDataSource> DataSources { get; } = [source];

        public Microsoft.AspNetCore.Builder.IApplicationBuilder CreateApplicationBuilder() => throw new NotSupportedException();
    }
}
