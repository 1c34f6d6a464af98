using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Trackelio.Functions.Hosting;

/// <summary>One Azure Function: its name and its <c>function.json</c>.</summary>
public sealed record FunctionDefinition(string Name, JsonObject FunctionJson);

/// <summary>
/// Generates one <c>function.json</c> per endpoint from the app's route table (and one per
/// registered <see cref="QueueFunction"/>, with a <c>queueTrigger</c>), so the
/// Functions host routes exactly what the app maps and nothing is kept by hand twice.
/// Every endpoint becomes an anonymous HTTP trigger (the app checks keys itself) whose
/// requests the host proxies to the app unchanged.
/// </summary>
public static class FunctionsManifest
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static IReadOnlyList<FunctionDefinition> Build(IEndpointRouteBuilder app)
    {
        var functions = new List<FunctionDefinition>();
        foreach (var endpoint in app.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<NotAFunctionAttribute>() is not null)
            {
                continue;
            }

            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                ?? throw new InvalidOperationException($"Endpoint '{endpoint.DisplayName}' has no name (.WithName): every endpoint is a function and needs one.");
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods
                ?? throw new InvalidOperationException($"Endpoint '{name}' accepts any method; map it with explicit methods.");
            var extraMethods = endpoint.Metadata.GetOrderedMetadata<FunctionExtraMethodsAttribute>().SelectMany(a => a.Methods);

            // HEAD runs as GET (HeadRequestMiddleware): every GET function accepts it too.
            var head = methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) && !methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)
                ? [HttpMethods.Head]
                : Array.Empty<string>();
            functions.Add(new FunctionDefinition(name, HttpFunction(Route(endpoint.RoutePattern), methods.Concat(head).Concat(extraMethods))));
        }

        foreach (var queueFunction in app.ServiceProvider.GetServices<QueueFunction>())
        {
            functions.Add(new FunctionDefinition(queueFunction.Name, QueueTriggerFunction(queueFunction.QueueName)));
        }

        var duplicate = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList()
            : throw new InvalidOperationException($"Two endpoints are named '{duplicate.Key}'; function names must be unique.");
    }

    /// <summary>Writes <c>DIR/&lt;Name&gt;/function.json</c> for each function, replacing generated folders from an earlier run.</summary>
    public static void Write(IReadOnlyList<FunctionDefinition> functions, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var function in functions)
        {
            var folder = Path.Combine(directory, function.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "function.json"), function.FunctionJson.ToJsonString(Indented) + "\n");
        }
    }

    private static JsonObject HttpFunction(string route, IEnumerable<string> methods) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = "anonymous",
                ["methods"] = new JsonArray(methods.Select(m => (JsonNode)m.ToLowerInvariant()).Distinct().ToArray()),
                ["route"] = route,
            },
            new JsonObject
            {
                ["type"] = "http",
                ["direction"] = "out",
                ["name"] = "res",
            }),
    };

    private static JsonObject QueueTriggerFunction(string queueName) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "queueTrigger",
                ["direction"] = "in",
                ["name"] = QueueInvocationEndpoints.TriggerBindingName,
                ["queueName"] = queueName,
                ["connection"] = Storage.StorageSettings.SettingName,
            }),
    };

    /// <summary>The route as the Functions host writes it: no leading slash, parameters without constraints.</summary>
    internal static string Route(RoutePattern pattern) =>
        string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"Unsupported route part in '{pattern.RawText}'."),
        }))));
}

/// <summary>Methods the function must accept beyond the endpoint's own (e.g. CORS preflight <c>OPTIONS</c>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class FunctionExtraMethodsAttribute(params string[] methods) : Attribute
{
    public IReadOnlyList<string> Methods { get; } = methods;
}
