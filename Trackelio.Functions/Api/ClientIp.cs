using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.HttpOverrides;

namespace Trackelio.Functions.Api;

/// <summary>
/// The caller's address, for per-client limits. Under the Functions host the chain is
/// client → the platform's front end → the host on loopback → this app. The front end appends
/// the address it saw to <c>X-Forwarded-For</c> (often with a port: <c>203.0.113.7:52044</c>,
/// <c>[2001:db8::1]:443</c>); the host copies the headers as they are and adds no entry of its
/// own (azure-functions-host, <c>HttpRequestExtensions.ToHttpRequestMessage</c>). So exactly one
/// entry is trusted: the LAST, and only on a connection from loopback. Everything to its left was
/// written by the client and is ignored. Standalone there is no proxy: the connection's address
/// is the client's and the header is ignored entirely.
/// </summary>
public static class ClientIp
{
    /// <summary>The host adds none, the front end one: the number of entries we read from the right.</summary>
    public const int TrustedHops = 1;

    /// <summary>ASP.NET Core's forwarded-headers handling, trusting loopback (the host) under the host and nothing standalone.</summary>
    public static ForwardedHeadersOptions ForwardingOptions(bool underFunctionsHost)
    {
        var options = new ForwardedHeadersOptions
        {
            // Standalone nothing is in front of us: the header is the client's own and is not read at all.
            ForwardedHeaders = underFunctionsHost ? ForwardedHeaders.XForwardedFor : ForwardedHeaders.None,
            ForwardLimit = TrustedHops,
        };
        // The defaults trust loopback only; set it explicitly (empty lists would trust every sender).
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        if (underFunctionsHost)
        {
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("127.0.0.0/8"));
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("::1/128"));
            options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse("::ffff:127.0.0.0/104"));
        }
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
