using System.IO.Compression;
using System.Security.Cryptography;

namespace Trackelio.Functions.Dashboard;

/// <summary>One file of the dashboard as served: its bytes, gzipped once, its type and strong ETag.</summary>
public sealed record DashboardFile(byte[] Raw, byte[] Gzip, string ContentType, string ETag);

/// <summary>
/// The dashboard's files, embedded at build time (<c>dashboard/index.html</c>, <c>dashboard/app.css</c>, and
/// <c>app.js</c>, which esbuild bundles from <c>dashboard/src/</c> as part of the build).
/// </summary>
public static class DashboardFiles
{
    private static readonly Lazy<IReadOnlyDictionary<string, DashboardFile>> Files = new(() => new Dictionary<string, DashboardFile>
    {
        ["index.html"] = Load("index.html", "text/html; charset=utf-8"),
        ["app.js"] = Load("app.js", "text/javascript; charset=utf-8"),
        ["app.css"] = Load("app.css", "text/css; charset=utf-8"),
    });

    public static DashboardFile? Get(string name) => Files.Value.GetValueOrDefault(name);

    public static DashboardFile Index => Files.Value["index.html"];

    private static DashboardFile Load(string name, string contentType)
    {
        using var stream = typeof(DashboardFiles).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded in the assembly (the build bundles it).");
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
