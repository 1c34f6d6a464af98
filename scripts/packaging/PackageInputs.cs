using System.Security.Cryptography;
using System.Text;

namespace Trackelio.Packaging;

/// <summary>
/// A hash of everything the package is made of: the app's sources and settings, the build's
/// props and package versions, the npm lock (the ua-parser rules are embedded), <c>host.json</c>
/// and the packaging itself. <c>scripts/package.sh</c> writes it beside the zip; a zip whose hash
/// matches the sources is current and need not be built again.
/// </summary>
public static class PackageInputs
{
    private static readonly string[] Folders = ["Trackelio.Functions", "scripts/packaging"];
    private static readonly string[] Files =
        ["host.json", "global.json", "Directory.Build.props", "Directory.Packages.props", "package-lock.json", "scripts/package.sh", "nuget.config", "NuGet.config"];

    public static string Hash(string root)
    {
        var paths = Folders
            .Where(folder => Directory.Exists(Path.Combine(root, folder)))
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*", SearchOption.AllDirectories))
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => part is "bin" or "obj"))
            .Concat(Files.Where(file => File.Exists(Path.Combine(root, file))))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            hash.AppendData(SHA256.HashData(File.ReadAllBytes(Path.Combine(root, path))));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
