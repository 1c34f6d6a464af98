using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Trackelio.Functions.Api.Limits;

public static class RequestLimitsExtensions
{
    /// <summary>Kestrel's limits (<see cref="RequestLimits.Configure"/>) and the request body budget.</summary>
    public static IServiceCollection AddRequestLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RequestLimitsOptions>().Bind(configuration.GetSection("Trackelio:RequestLimits"))
            .Validate(o => o.BodyBudgetBytes >= RequestLimits.Default.HoldsAtMost && o.BodyIdleTimeout > TimeSpan.Zero, "The body budget must hold at least one default body.")
            .ValidateOnStart();
        services.AddSingleton<RequestBodyBudget>();
        services.Configure<KestrelServerOptions>(RequestLimits.Configure);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(RequestLimits.ConfigureTransport);
        return services;
    }

    public static IApplicationBuilder UseRequestBodyBudget(this IApplicationBuilder app) => app.UseMiddleware<RequestBodyBudgetMiddleware>();
}
