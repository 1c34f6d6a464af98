using System.Text.Json;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>What the worker's build declares in <c>functions.metadata</c> (the SDK writes it; the host indexes it).</summary>
public static class FunctionsMetadata
{
    public static JsonElement Read()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(TrackelioApp.AppDirectory, "functions.metadata")));
        return metadata.RootElement.Clone();
    }

    /// <summary>Every HTTP-triggered function with its route (as a path, <c>/v1/…</c>) and its methods (lower case, as declared).</summary>
    public static IReadOnlyList<(string Name, string Path, IReadOnlyList<string> Methods)> HttpFunctions() =>
        Read().EnumerateArray()
            .Select(function => (Name: function.GetProperty("name").GetString()!, Trigger: function.GetProperty("bindings").EnumerateArray()
                .FirstOrDefault(b => b.GetProperty("type").GetString() == "httpTrigger")))
            .Where(f => f.Trigger.ValueKind == JsonValueKind.Object)
            .Select(f => (f.Name, "/" + f.Trigger.GetProperty("route").GetString(),
                (IReadOnlyList<string>)f.Trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!).ToList()))
            .ToList();
}
