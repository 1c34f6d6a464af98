using System.Text.Json;
using Trackelio.DevHost.Rpc;

namespace Trackelio.DevHost;

/// <summary>A function as the worker indexed it (FunctionMetadataResponse), reduced to what its trigger needs.</summary>
public sealed record IndexedFunction
{
    public required string Name { get; init; }
    public required string FunctionId { get; init; }
    /// <summary>The trigger binding's type: httpTrigger, queueTrigger, timerTrigger, …</summary>
    public required string TriggerType { get; init; }
    public required string TriggerBindingName { get; init; }
    /// <summary>httpTrigger: the route without the prefix (the function name when the binding has none, as the host does).</summary>
    public string? Route { get; init; }
    /// <summary>httpTrigger: the allowed methods, upper case; empty means any.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
    public string? QueueName { get; init; }
    public string? Schedule { get; init; }
    public bool RunOnStartup { get; init; }
    /// <summary>The binding's connection setting name, when it names one.</summary>
    public string? Connection { get; init; }
    /// <summary>The trigger binding's dataType (String, Binary, Stream), when set.</summary>
    public string? DataType { get; init; }
    public bool SupportsDeferredBinding { get; init; }
    /// <summary>The worker's raw_bindings, one JSON object each.</summary>
    public required IReadOnlyList<string> RawBindings { get; init; }

    internal RpcFunctionMetadata Metadata { get; init; } = new();

    internal static IndexedFunction FromMetadata(RpcFunctionMetadata metadata)
    {
        var bindings = metadata.RawBindings.Select(raw => JsonDocument.Parse(raw).RootElement.Clone()).ToList();
        var trigger = bindings.FirstOrDefault(b => Text(b, "type")?.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) == true);
        if (trigger.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException($"Function '{metadata.Name}' has no trigger binding: {string.Join(", ", metadata.RawBindings)}");
        }
        var type = Text(trigger, "type")!;
        var isHttp = type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);
        return new IndexedFunction
        {
            Name = metadata.Name,
            FunctionId = metadata.FunctionId,
            TriggerType = type,
            TriggerBindingName = Text(trigger, "name") ?? "",
            // WebScriptHostHttpRoutesManager: an empty route is the function name.
            Route = isHttp ? (string.IsNullOrEmpty(Text(trigger, "route")) ? metadata.Name : Text(trigger, "route")) : null,
            Methods = trigger.TryGetProperty("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
                ? methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
                : [],
            QueueName = Text(trigger, "queueName"),
            Schedule = Text(trigger, "schedule"),
            RunOnStartup = trigger.TryGetProperty("runOnStartup", out var runOnStartup) && runOnStartup.ValueKind == JsonValueKind.True,
            Connection = Text(trigger, "connection"),
            DataType = Text(trigger, "dataType"),
            SupportsDeferredBinding = trigger.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                && properties.TryGetProperty("supportsDeferredBinding", out var deferred)
                && string.Equals(deferred.ToString(), "true", StringComparison.OrdinalIgnoreCase),
            RawBindings = metadata.RawBindings.ToList(),
            Metadata = metadata,
        };
    }

    /// <summary>GrpcWorkerChannel.GetFunctionLoadRequest: the bindings map from the raw bindings (BindingMetadata.ToBindingInfo: type, direction, data type).</summary>
    internal FunctionLoadRequest ToLoadRequest()
    {
        var request = new FunctionLoadRequest
        {
            FunctionId = FunctionId,
            Metadata = new RpcFunctionMetadata
            {
                Name = Metadata.Name,
                Directory = Metadata.Directory ?? "",
                EntryPoint = Metadata.EntryPoint ?? "",
                ScriptFile = Metadata.ScriptFile ?? "",
                IsProxy = false,
            },
        };
        foreach (var raw in RawBindings)
        {
            var binding = JsonDocument.Parse(raw).RootElement;
            var info = new BindingInfo
            {
                Type = Text(binding, "type") ?? "",
                Direction = Text(binding, "direction")?.ToUpperInvariant() switch
                {
                    "OUT" => BindingInfo.Types.Direction.Out,
                    "INOUT" => BindingInfo.Types.Direction.Inout,
                    _ => BindingInfo.Types.Direction.In,
                },
            };
            var dataType = Text(binding, "dataType")?.ToUpperInvariant();
            if (dataType is not null)
            {
                info.DataType = dataType switch
                {
                    "STRING" => BindingInfo.Types.DataType.String,
                    "BINARY" => BindingInfo.Types.DataType.Binary,
                    "STREAM" => BindingInfo.Types.DataType.Stream,
                    _ => BindingInfo.Types.DataType.Undefined,
                };
            }
            request.Metadata.Bindings[Text(binding, "name") ?? ""] = info;
        }
        foreach (var property in Metadata.Properties)
        {
            request.Metadata.Properties[property.Key] = property.Value;
        }
        return request;
    }

    private static string? Text(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            // Binding JSON is read case-insensitively by the host (Newtonsoft JObject lookups with OrdinalIgnoreCase).
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.ToString();
            }
        }
        return null;
    }
}
