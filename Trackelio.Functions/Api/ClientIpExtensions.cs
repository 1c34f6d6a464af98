using Microsoft.AspNetCore.HttpOverrides;

namespace Trackelio.Functions.Api;

public static class ClientIpExtensions
{
    /// <summary>Sets <c>Connection.RemoteIpAddress</c> to the client's address as <see cref="ClientIp"/> describes.</summary>
    public static IServiceCollection AddTrustedForwarding(this IServiceCollection services, IConfiguration configuration)
    {
        var trusted = ClientIp.ForwardingOptions();
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = trusted.ForwardedHeaders;
            options.ForwardLimit = trusted.ForwardLimit;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted.KnownIPNetworks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }
}
