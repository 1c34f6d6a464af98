using System.Text.Json;

namespace Trackelio.DevHost;

/// <summary>
/// The app's worker.config.json, written by the Worker SDK (_FunctionsGenerateWorkerConfig); the
/// host reads it through RpcWorkerConfigFactory to know what to start.
/// </summary>
internal sealed record WorkerConfig(string ExecutablePath, string WorkerPath, IReadOnlyList<string> Arguments, IReadOnlyList<string> WorkerArguments)
{
    public static WorkerConfig Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"{path} is missing: the app directory must be an isolated worker's build or publish output (the Worker SDK writes worker.config.json there).");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var description = document.RootElement.GetProperty("description");
        string? Text(string name) => description.TryGetProperty(name, out var value) ? value.GetString() : null;
        IReadOnlyList<string> List(string name) => description.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.GetString()!).ToList()
            : [];
        // RpcWorkerDescription.ApplyDefaultsAndValidate: {WorkerRoot} stands for the worker directory (the app root here).
        string Expand(string value) => value.Replace("{WorkerRoot}", appDirectory.TrimEnd('/') + "/", StringComparison.Ordinal);
        var executable = Expand(Text("defaultExecutablePath") ?? "dotnet");
        var workerPath = Expand(Text("defaultWorkerPath") ?? throw new InvalidOperationException($"{path} has no defaultWorkerPath."));
        return new WorkerConfig(executable, Path.Combine(appDirectory, workerPath), List("arguments"), List("workerArguments"));
    }
}
