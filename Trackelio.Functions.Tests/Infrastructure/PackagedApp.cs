using System.Diagnostics;
using System.IO.Compression;
using Trackelio.Packaging;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// <c>publish/trackelio-functions.zip</c>, built at most once per test run: reused while the hash
/// of its inputs (<see cref="PackageInputs"/>) matches the one <c>scripts/package.sh</c> wrote
/// beside it, else built by running that script.
/// </summary>
public static class PackagedApp
{
    private static readonly Lazy<Task<string>> Zip = new(EnsureCurrentAsync);

    public static Task<string> ZipAsync() => Zip.Value;

    /// <summary>Unpacks the zip into a new folder as the platform does, giving each file the Unix mode its entry carries.</summary>
    public static string Extract(string zipFile)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The package is for Linux: run this on Linux.");
        }
        var directory = Directory.CreateTempSubdirectory("trackelio-package-").FullName;
        using var zip = ZipFile.OpenRead(zipFile);
        foreach (var entry in zip.Entries)
        {
            var path = Path.GetFullPath(Path.Combine(directory, entry.FullName));
            if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Zip entry '{entry.FullName}' points outside the folder.");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: true);
            if (FunctionZip.UnixMode(entry) is var mode and not 0)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        return directory;
    }

    private static async Task<string> EnsureCurrentAsync()
    {
        var root = RepositoryRoot.Path;
        var zip = Path.Combine(root, "publish", "trackelio-functions.zip");
        var inputs = PackageInputs.Hash(root);
        if (IsCurrent(zip, inputs))
        {
            return zip;
        }

        var start = new ProcessStartInfo("bash") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("scripts/package.sh");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 || !IsCurrent(zip, inputs))
        {
            throw new InvalidOperationException($"scripts/package.sh failed (exit {process.ExitCode}):\n{await output}\n{await error}");
        }
        return zip;
    }

    private static bool IsCurrent(string zip, string inputs) =>
        File.Exists(zip) && File.Exists(zip + ".inputs") && File.ReadAllText(zip + ".inputs").Trim() == inputs;
}
