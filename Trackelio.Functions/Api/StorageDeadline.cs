using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Api;

/// <summary>How long a widget or management request may spend waiting on storage.</summary>
public sealed class StorageDeadlineOptions
{
    /// <summary>The whole request's budget (every storage call and retry together); then 503 + <c>Retry-After</c>.</summary>
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The budget of an upload, which streams up to the recording limit to Blob Storage.</summary>
    public TimeSpan UploadDeadline { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Marks an endpoint that streams large bodies to storage: it gets <see cref="StorageDeadlineOptions.UploadDeadline"/>.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class LongStorageWorkAttribute : Attribute;

/// <summary>Marks an endpoint that may wait (long polling) before its storage work: its deadline is that much longer.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class WaitsUpToAttribute(int seconds) : Attribute
{
    public TimeSpan Wait { get; } = TimeSpan.FromSeconds(seconds);
}

/// <summary>
/// Marks an endpoint whose only storage work is waiting on a shared load that bounds the wait by
/// itself (the widget directory: <c>GET /v1/widget/config</c>); the middleware then sets no
/// per-request deadline timer on it, which its hot path (served from memory) would pay for nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class OwnStorageDeadlineAttribute : Attribute;

/// <summary>A request ran out of its storage deadline: storage is frozen or too slow to answer in time.</summary>
public sealed class StorageDeadlineExceededException(TimeSpan deadline, Exception inner)
    : TimeoutException($"Storage did not answer within the request's deadline of {deadline.TotalSeconds:0.#} s.", inner);

/// <summary>
/// Gives every <c>/v1/…</c> request one total deadline for its work, storage retries included:
/// the request's cancellation token (which every handler passes to storage) fires at the
/// deadline, and what it cut short becomes 503 + <c>Retry-After</c> in <see cref="ErrorHandlingMiddleware"/>
/// — a frozen storage account never holds a caller for the clients' 30 s × 3 retries.
/// Queue-triggered work has no such deadline: nobody waits on it.
/// </summary>
public sealed class StorageDeadlineMiddleware(IOptions<StorageDeadlineOptions> options) : IFunctionsWorkerMiddleware
{
    public Task Invoke(FunctionContext function, FunctionExecutionDelegate next)
    {
        var context = function.Http();
        var metadata = context.GetEndpoint()?.Metadata;
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            || metadata?.GetMetadata<OwnStorageDeadlineAttribute>() is not null)
        {
            return next(function);
        }
        var deadline = metadata?.GetMetadata<LongStorageWorkAttribute>() is null
            ? options.Value.RequestDeadline + (metadata?.GetMetadata<WaitsUpToAttribute>()?.Wait ?? TimeSpan.Zero)
            : options.Value.UploadDeadline;
        return WithDeadlineAsync(function, context, deadline, next);
    }

    private static async Task WithDeadlineAsync(FunctionContext function, HttpContext context, TimeSpan deadline, FunctionExecutionDelegate next)
    {
        var clientAborted = context.RequestAborted;
        using var timeout = new CancellationTokenSource(deadline);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, timeout.Token);
        context.RequestAborted = linked.Token;
        try
        {
            await next(function);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !clientAborted.IsCancellationRequested && ex is not StorageDeadlineExceededException)
        {
            throw new StorageDeadlineExceededException(deadline, ex);
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }
    }
}
