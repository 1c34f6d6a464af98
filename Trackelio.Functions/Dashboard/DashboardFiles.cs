using System.IO.Compression;
using System.Security.Cryptography;

namespace Trackelio.Functions.Dashboard;

/// <summary>One file of the dashboard as served: its bytes, gzipped once, its type and strong ETag.</summary>
public sealed record DashboardFile(byte[] Raw, byte[] Gzip, string ContentType, string ETag);

/// <summary>
/// The dashboard's files, embedded at build time: <c>dashboard/index.html</c>, and what esbuild bundles from
/// <c>dashboard/src/</c> as part of the build — <c>app.js</c>, <c>app.css</c> and <c>chunks/*.js</c> (code the app imports
/// only when it needs it, named by its content's hash). Every embedded resource under <c>dashboard/</c>, by its path.
/// </summary>
public static class DashboardFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, DashboardFile>> Files = new(() =>
    {
        var files = typeof(DashboardFiles).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("dashboard/", StringComparison.Ordinal))
            .ToDictionary(name => name["dashboard/".Length..], name => Load(name["dashboard/".Length..], ContentTypeOf(name)), StringComparer.Ordinal);
        foreach (var required in new[] { "index.html", "app.js", "app.css" })
        {
            if (!files.ContainsKey(required))
            {
                throw new InvalidOperationException($"The dashboard's {required} is not embedded in the assembly (the build bundles it).");
            }
        }
        return files;
    });

    /// <summary>Whether <paramref name="name"/> is named by its content (a chunk): it never changes, so it may be cached for good.</summary>
    public static bool IsImmutable(string name) => name.StartsWith("chunks/", StringComparison.Ordinal);

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        _ => "application/octet-stream",
    };

    public static DashboardFile? Get(string name) => Files.Value.GetValueOrDefault(name);

    public static DashboardFile Index => Files.Value["index.html"];

    private static DashboardFile Load(string name, string contentType)
    {
        using var stream = typeof(DashboardFiles).Assembly.GetManifestResourceStream("dashboard/" + name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return From(copy.ToArray(), contentType);
    }

    /// <summary>A file as served from its bytes: gzipped once, with a strong ETag of its content.</summary>
    public static DashboardFile From(byte[] raw, string contentType)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        return new DashboardFile(raw, compressed.ToArray(), contentType, "\"" + Convert.ToHexStringLower(SHA256.HashData(raw))[..32] + "\"");
    }
}
