using System.Globalization;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;
using Trackelio.Functions.Hosting;

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
/// Per-key limits in fixed one-minute windows: 60 reads, 20 writes, 30 user lists by default.
/// Every response carries <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and
/// <c>RateLimit-Reset</c> (seconds); one over the limit is 429 <c>rate_limited</c> with
/// <c>Retry-After</c>. Counted per instance: with N instances a key can do up to N times as much.
/// </summary>
public sealed class KeyRateLimiter(TimeProvider time, IOptions<RateLimitOptions> options)
{
    private readonly FixedWindowLimiter _windows = new(time);
    private readonly RateLimitOptions _options = options.Value;

    public (bool Allowed, int Limit, int Remaining, TimeSpan Reset) Acquire(string keyId, string bucket)
    {
        var limit = bucket switch
        {
            RateLimitBucketAttribute.UserList => _options.UserListsPerMinute,
            "write" => _options.WritesPerMinute,
            _ => _options.ReadsPerMinute,
        };
        var (allowed, remaining, reset) = _windows.Acquire(keyId + "|" + bucket, limit);
        return (allowed, limit, remaining, reset);
    }
}

/// <summary>Applies <see cref="KeyRateLimiter"/> after the key is known.</summary>
public sealed class RateLimitFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var member = http.RequestServices.GetRequiredService<CurrentMember>();
        var bucket = http.GetEndpoint()?.Metadata.GetMetadata<RateLimitBucketAttribute>()?.Bucket
            ?? (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? "read" : "write");
        var (allowed, limit, remaining, reset) = http.RequestServices.GetRequiredService<KeyRateLimiter>().Acquire(member.Key.ApiKey.Id, bucket);

        var seconds = Math.Max(1, (int)Math.Ceiling(reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["RateLimit-Reset"] = seconds;
        return allowed ? await next(context) : ApiError.TooManyRequests(reset);
    }
}

public static class RateLimitFilterExtensions
{
    public static TBuilder RequirePerKeyRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new RateLimitFilter());
        return builder;
    }
}
