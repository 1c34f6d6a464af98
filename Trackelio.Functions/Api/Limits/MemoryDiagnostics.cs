using System.Net;
using System.Runtime;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Api.Limits;

/// <summary>
/// <c>GET /_diagnostics/memory</c>: the worker's managed memory after a full, compacting GC, and what
/// the request body budget holds, as JSON — so a test or the benchmark reads the worker's memory
/// from outside its process. Answers only when <c>Trackelio__Diagnostics__Memory=true</c> and only
/// loopback callers; 404 otherwise. Not part of the API (not in the document).
/// </summary>
public static class MemoryDiagnostics
{
    [Function("MemoryFigures")]
    [ExcludeFromDescription]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "_diagnostics/memory")] HttpRequest req, RequestBodyBudget budget,
        IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>("Trackelio:Diagnostics:Memory") || req.HttpContext.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip))
        {
            return Results.NotFound();
        }
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return Results.Json(new
        {
            managed_bytes = GC.GetTotalMemory(forceFullCollection: true),
            body_budget_reserved_bytes = budget.Reserved,
            body_budget_capacity_bytes = budget.Capacity,
        });
    }
}
