namespace Trackelio.Functions.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>The storage-shared limiter every per-key, per-widget and per-client limit counts in.</summary>
    public static IServiceCollection AddSharedRateLimiter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SharedRateLimiterOptions>().Bind(configuration.GetSection("Trackelio:RateLimiting"))
            .Validate(o => o.LocalAllowancePercent is >= 0 and <= 50 && o.MaxLocalAllowance >= 0, "Trackelio:RateLimiting: LocalAllowancePercent is 0–50 and MaxLocalAllowance ≥ 0.")
            .ValidateOnStart();
        services.AddSingleton<IRateLimitStore, TableRateLimitStore>();
        services.AddSingleton<SharedRateLimiter>();
        return services;
    }
}
