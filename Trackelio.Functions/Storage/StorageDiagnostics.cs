using System.Net;

namespace Trackelio.Functions.Storage;

/// <summary>
/// <c>GET /_diagnostics/storage-requests</c>: the storage request counts (see
/// <see cref="StorageRequestCounter"/>) as JSON, for the benchmark. Mapped only when
/// <c>Trackelio__Diagnostics__StorageRequests=true</c>, answers loopback callers only,
/// and is never a function (the manifest is generated without the setting).
/// </summary>
public static class StorageDiagnostics
{
    public const string Path = "/_diagnostics/storage-requests";

    public static IEndpointRouteBuilder MapStorageDiagnostics(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Trackelio:Diagnostics:StorageRequests"))
        {
            return app;
        }
        app.MapGet(Path, (HttpContext context, StorageAccount account) =>
            context.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
                ? Results.Json(new { total = account.Requests.Total, by_kind = account.Requests.Snapshot() })
                : Results.NotFound()).ExcludeFromDescription();
        return app;
    }
}
