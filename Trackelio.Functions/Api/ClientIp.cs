using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Trackelio.Functions.Api;

/// <summary>
/// The caller's address, for per-client limits. The chain is client → the platform's front end →
/// the Functions host → this worker on loopback. The host forwards each request to the worker
/// with YARP (azure-functions-host <c>DefaultHttpProxyService</c>, no transformer of its own), whose
/// default transform writes the address the host saw into <c>X-Forwarded-For</c>. So exactly one
/// entry is trusted: the LAST, and only on a connection from loopback (the host). Everything to its
/// left was written by someone else and is ignored. The dev host forwards the same way.
/// </summary>
public static class ClientIp
{
    /// <summary>The host adds none, the front end one: the number of entries we read from the right.</summary>
    public const int TrustedHops = 1;

    /// <summary>
    /// ASP.NET Core's forwarded-headers handling for the worker's own server (which runs it): the
    /// client's address from the host on loopback, and nothing else (the worker's default would
    /// also take the host's <c>X-Forwarded-Host</c> and <c>-Proto</c>; links we make are relative).
    /// </summary>
    public static ForwardedHeadersOptions ForwardingOptions()
    {
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor,
            ForwardLimit = TrustedHops,
        };
        // The defaults trust loopback only; set it explicitly (empty lists would trust every sender).
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("::1/128"));
        options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("::ffff:127.0.0.0/104"));
        return options;
    }

    /// <summary>
    /// The bucket a client's requests count in: its IPv4 address, or its IPv6 /64 (one
    /// subscriber usually holds a whole /64, so per-address buckets would be free to multiply).
    /// </summary>
    public static string Of(HttpContext http) => Bucket(http.Connection.RemoteIpAddress);

    public static string Bucket(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        bytes.AsSpan(8).Clear();
        return new IPAddress(bytes) + "/64";
    }
}
