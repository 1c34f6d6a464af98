using Trackelio.Functions.Hosting;

namespace Trackelio.Functions.Api;

/// <summary>The caller's address, for per-client limits (messenger starts, widget writes): one place, so every limit keys on the same thing.</summary>
public static class ClientIp
{
    /// <summary>Under the Functions host the front end's X-Forwarded-For, else the connection's.</summary>
    public static string Of(HttpContext http) =>
        QueueInvocationEndpoints.RunsUnderFunctionsHost(http.RequestServices.GetRequiredService<IConfiguration>())
        && http.Request.Headers["X-Forwarded-For"].ToString() is { Length: > 0 } forwarded
            ? forwarded.Split(',')[0].Trim().Split(':')[0]
            : http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
