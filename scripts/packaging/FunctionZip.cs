using System.IO.Compression;
using System.Text.Json.Nodes;

namespace Trackelio.Packaging;

/// <summary>
/// The deployable zip of a Functions app folder. Each entry carries its file's Unix mode in the
/// high 16 bits of its external attributes (with the regular-file type bits), and .NET marks entries
/// written on Unix as "made by Unix", so the platform's unzip keeps the run bit of the custom
/// handler executable. The executable named by <c>host.json</c> must be executable.
/// </summary>
public static class FunctionZip
{
    /// <summary>S_IFREG: the file-type bits of a regular file, as zip tools store them above the permissions.</summary>
    public const int RegularFile = 0x8000;

    public static void Create(string directory, string zipFile)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Package on Linux or macOS: the zip carries Unix file modes.");
        }
        var executable = CustomHandlerExecutable(directory);
        if (!File.Exists(executable) || (File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) == 0)
        {
            throw new InvalidOperationException($"The custom handler '{executable}' named by host.json is missing or not executable.");
        }

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

    /// <summary>The external attributes of a regular file with <paramref name="mode"/> (e.g. 0755 → 0x81ED0000).</summary>
    public static int UnixAttributes(UnixFileMode mode) => unchecked((int)((uint)(RegularFile | (int)mode) << 16));

    /// <summary>The Unix mode an entry carries (0 when it was written without one).</summary>
    public static UnixFileMode UnixMode(ZipArchiveEntry entry) => (UnixFileMode)((entry.ExternalAttributes >> 16) & 0xFFF);

    /// <summary>The executable <c>customHandler.description.defaultExecutablePath</c> names, under its working directory.</summary>
    public static string CustomHandlerExecutable(string directory)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "host.json")))
            ?? throw new InvalidOperationException("host.json is empty.");
        var description = host["customHandler"]?["description"]
            ?? throw new InvalidOperationException("host.json has no customHandler.description.");
        var path = description["defaultExecutablePath"]?.GetValue<string>()
            ?? throw new InvalidOperationException("host.json has no customHandler.description.defaultExecutablePath.");
        var workingDirectory = description["workingDirectory"]?.GetValue<string>() ?? "";
        return Path.Combine(directory, workingDirectory, path);
    }
}
