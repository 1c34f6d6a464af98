using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Management.Webhooks;

public sealed class WebhookOptions
{
    /// <summary>Allows targets on loopback, private and link-local addresses (tests and local development only).</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>Attempts per delivery before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait before the second attempt; each later wait is four times longer (10 s, 40 s, 2.7 min, 11 min, 43 min).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How much longer each wait is than the one before.</summary>
    public double BackoffFactor { get; set; } = 4;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Keeps webhook deliveries off internal networks: a target on a loopback, private, link-local,
/// multicast or unspecified address is refused, checked on the address actually connected to
/// (so a name that resolves differently later — DNS rebinding — is caught too).
/// </summary>
public sealed class WebhookTargetGuard(IOptions<WebhookOptions> options)
{
    public bool AllowPrivateTargets => options.Value.AllowPrivateTargets;

    /// <summary>Whether a URL may be registered: http(s), and not a literal internal address or local name.</summary>
    public string? ProblemWith(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "must be an absolute http or https URL without credentials";
        }
        if (AllowPrivateTargets)
        {
            return null;
        }
        if (uri.Scheme != "https")
        {
            return "must use https";
        }
        if (uri.IsLoopback || uri.Host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IsInternal(address)))
        {
            return "must not point at a loopback, private or link-local address";
        }
        return null;
    }

    /// <summary>The connect callback for the delivery <see cref="SocketsHttpHandler"/>: refuses internal addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = AllowPrivateTargets ? addresses : addresses.Where(a => !IsInternal(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Webhook target {context.DnsEndPoint.Host} resolves only to internal addresses.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal;
        }
        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254) // link-local, including the cloud metadata endpoint
            || (b[0] == 100 && b[1] is >= 64 and <= 127) // carrier-grade NAT
            || b[0] == 0 || b[0] >= 224;
    }
}
