using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Trackelio.Packaging;

/// <summary>
/// The deployable zip of an isolated-worker Functions app folder. Each entry carries its file's Unix
/// mode in the high 16 bits of its external attributes (with the regular-file type bits), and .NET
/// marks entries written on Unix as "made by Unix", so the platform's unzip keeps every mode. Before
/// zipping it checks the folder is one the host can start: host.json (without a custom handler),
/// worker.config.json naming a worker that is there, functions.metadata and extensions.json.
/// </summary>
public static class FunctionZip
{
    /// <summary>S_IFREG: the file-type bits of a regular file, as zip tools store them above the permissions.</summary>
    public const int RegularFile = 0x8000;

    /// <summary>What the Functions host reads at the root of an isolated-worker app.</summary>
    public static readonly string[] HostFiles = ["host.json", "worker.config.json", "functions.metadata", "extensions.json"];

    public static void Create(string directory, string zipFile)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Package on Linux or macOS: the zip carries Unix file modes.");
        }
        Validate(directory);

        var partial = zipFile + ".partial";
        using (var stream = File.Create(partial))
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var entry = zip.CreateEntry(Path.GetRelativePath(directory, file).Replace('\\', '/'), CompressionLevel.Optimal);
                entry.LastWriteTime = File.GetLastWriteTime(file);
                entry.ExternalAttributes = UnixAttributes(File.GetUnixFileMode(file));
                using var source = File.OpenRead(file);
                using var target = entry.Open();
                source.CopyTo(target);
            }
        }
        File.Move(partial, zipFile, overwrite: true);
    }

    /// <summary>Throws unless <paramref name="directory"/> is an isolated-worker app the host can start.</summary>
    public static void Validate(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The package is for Linux: check it on Linux or macOS.");
        }
        foreach (var file in HostFiles)
        {
            if (!File.Exists(Path.Combine(directory, file)))
            {
                throw new InvalidOperationException($"{file} is missing from {directory}: is it an isolated worker's publish output?");
            }
        }
        if (JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "host.json")))?["customHandler"] is not null)
        {
            throw new InvalidOperationException("host.json still has a customHandler section: the host would start a custom handler, not the worker.");
        }
        var worker = Worker.Read(directory);
        if (!File.Exists(Path.Combine(directory, worker.WorkerPath)))
        {
            throw new InvalidOperationException($"worker.config.json names the worker '{worker.WorkerPath}', which is not in {directory}.");
        }
        if (worker.AppExecutable is { } executable
            && (!File.Exists(Path.Combine(directory, executable)) || (File.GetUnixFileMode(Path.Combine(directory, executable)) & UnixFileMode.UserExecute) == 0))
        {
            throw new InvalidOperationException($"worker.config.json names the executable '{executable}', which is missing or not executable.");
        }
    }

    /// <summary>The external attributes of a regular file with <paramref name="mode"/> (e.g. 0755 → 0x81ED0000).</summary>
    public static int UnixAttributes(UnixFileMode mode) => unchecked((int)((uint)(RegularFile | (int)mode) << 16));

    /// <summary>The Unix mode an entry carries (0 when it was written without one).</summary>
    public static UnixFileMode UnixMode(ZipArchiveEntry entry) => (UnixFileMode)((entry.ExternalAttributes >> 16) & 0xFFF);

    /// <summary>
    /// worker.config.json's <c>description</c>: <c>defaultExecutablePath</c> (<c>dotnet</c>, or
    /// <c>{WorkerRoot}&lt;apphost&gt;</c> for a self-contained worker) and <c>defaultWorkerPath</c>
    /// (the app's assembly, relative to the app root).
    /// </summary>
    public sealed record Worker(string ExecutablePath, string WorkerPath)
    {
        private const string WorkerRoot = "{WorkerRoot}";

        /// <summary>The executable inside the app, relative to its root, when the worker brings its own (null for <c>dotnet</c>).</summary>
        public string? AppExecutable => ExecutablePath.StartsWith(WorkerRoot, StringComparison.Ordinal) ? ExecutablePath[WorkerRoot.Length..] : null;

        public static Worker Read(string directory) => Parse(File.ReadAllText(Path.Combine(directory, "worker.config.json")));

        public static Worker Parse(string json)
        {
            var description = JsonNode.Parse(json)?["description"]
                ?? throw new InvalidOperationException("worker.config.json has no description.");
            string Text(string name) => description[name]?.GetValue<string>() is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"worker.config.json has no description.{name}.");
            return new Worker(Text("defaultExecutablePath"), Text("defaultWorkerPath"));
        }
    }
}
