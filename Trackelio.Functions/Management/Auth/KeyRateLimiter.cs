using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using System.Globalization;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.RateLimiting;

namespace Trackelio.Functions.Management.Auth;

public sealed class RateLimitOptions
{
    public int ReadsPerMinute { get; set; } = 60;
    public int WritesPerMinute { get; set; } = 20;
    public int UserListsPerMinute { get; set; } = 30;
}

/// <summary>Puts an endpoint in a rate-limit bucket of its own (e.g. <c>GET /v1/users</c>).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RateLimitBucketAttribute(string bucket) : Attribute
{
    public const string UserList = "users";
    public string Bucket { get; } = bucket;
}

/// <summary>
/// Per-key limits in fixed one-minute windows: 60 reads, 20 writes, 30 user lists by default,
/// per key across all instances (counted in <see cref="SharedRateLimiter"/>). Every response
/// carries <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c>
/// (seconds); one over the limit is 429 <c>rate_limited</c> with <c>Retry-After</c>.
/// </summary>
public sealed class KeyRateLimiter(SharedRateLimiter limiter, IOptions<RateLimitOptions> options)
{
    private readonly RateLimitOptions _options = options.Value;

    public ValueTask<RateLimitDecision> AcquireAsync(string keyId, string bucket, CancellationToken cancellationToken)
    {
        var limit = bucket switch
        {
            RateLimitBucketAttribute.UserList => _options.UserListsPerMinute,
            "write" => _options.WritesPerMinute,
            _ => _options.ReadsPerMinute,
        };
        return limiter.AcquireAsync("key-" + bucket, keyId, limit, cancellationToken);
    }
}

/// <summary>Applies <see cref="KeyRateLimiter"/> after the key is known.</summary>
public sealed class RateLimitMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        var member = http.RequestServices.GetRequiredService<CurrentMember>();
        var bucket = http.GetEndpoint()?.Metadata.GetMetadata<RateLimitBucketAttribute>()?.Bucket
            ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? "read" : "write");
        var decision = await http.RequestServices.GetRequiredService<KeyRateLimiter>().AcquireAsync(member.Key.ApiKey.Id, bucket, http.RequestAborted);

        http.Response.Headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = Math.Max(1, (int)Math.Ceiling(decision.Reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }
        context.Answer(ApiError.TooManyRequests(decision.Reset));
    }
}

