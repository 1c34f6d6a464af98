using System.Net;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Storage;

/// <summary>
/// <c>GET /_diagnostics/storage-requests</c>: the storage request counts (see
/// <see cref="StorageRequestCounter"/>) as JSON, for the benchmark. Answers only when
/// <c>Trackelio__Diagnostics__StorageRequests=true</c> and only loopback callers; 404 otherwise.
/// Not part of the API (not in the document).
/// </summary>
public static class StorageDiagnostics
{
    public const string Path = "/_diagnostics/storage-requests";

    [Function("StorageRequestCounts")]
    [ExcludeFromDescription]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "_diagnostics/storage-requests")] HttpRequest req, StorageAccount account, IConfiguration configuration) =>
        configuration.GetValue<bool>("Trackelio:Diagnostics:StorageRequests") && req.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip)
            ? Results.Json(new { total = account.Requests.Total, by_kind = account.Requests.Snapshot() })
            : Results.NotFound();
}
