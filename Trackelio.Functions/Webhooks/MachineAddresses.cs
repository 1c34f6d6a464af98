using System.Net;
using System.Net.NetworkInformation;

namespace Trackelio.Functions.Webhooks;

/// <summary>Turns a webhook host name into addresses (a seam so tests decide what a name resolves to).</summary>
public interface IWebhookHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsWebhookHostResolver : IWebhookHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>This machine's own names and addresses: a webhook must not reach the app's own host through a public-looking one.</summary>
public interface IMachineAddresses
{
    IReadOnlySet<IPAddress> Addresses { get; }

    IReadOnlySet<string> Names { get; }
}

/// <summary>Every interface's unicast addresses and what the host name resolves to, re-read once a minute (interfaces change).</summary>
public sealed class MachineAddresses(TimeProvider time) : IMachineAddresses
{
    private static readonly TimeSpan RefreshAfter = TimeSpan.FromMinutes(1);
    private (IReadOnlySet<IPAddress> Addresses, IReadOnlySet<string> Names, DateTimeOffset ReadAt)? _snapshot;

    public IReadOnlySet<IPAddress> Addresses => Current().Addresses;

    public IReadOnlySet<string> Names => Current().Names;

    private (IReadOnlySet<IPAddress> Addresses, IReadOnlySet<string> Names, DateTimeOffset ReadAt) Current()
    {
        var now = time.GetUtcNow();
        if (_snapshot is { } snapshot && now - snapshot.ReadAt < RefreshAfter)
        {
            return snapshot;
        }
        var fresh = (Read(out var names), names, now);
        _snapshot = fresh;
        return fresh;
    }

    private static HashSet<IPAddress> Read(out HashSet<string> names)
    {
        var addresses = new HashSet<IPAddress>();
        foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in network.GetIPProperties().UnicastAddresses)
            {
                addresses.Add(Plain(unicast.Address));
            }
        }
        names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hostName = Dns.GetHostName();
        names.Add(hostName.TrimEnd('.'));
        var domain = IPGlobalProperties.GetIPGlobalProperties().DomainName;
        if (!string.IsNullOrEmpty(domain))
        {
            names.Add($"{hostName}.{domain}".TrimEnd('.'));
        }
        try
        {
            foreach (var address in Dns.GetHostAddresses(hostName))
            {
                addresses.Add(Plain(address));
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            // A host name that does not resolve adds no addresses; the interfaces are still known.
        }
        return addresses;
    }

    /// <summary>Without a zone index, so that <c>fe80::1%2</c> and <c>fe80::1</c> compare equal.</summary>
    private static IPAddress Plain(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : SpecialPurposeAddresses.Plain(address);
}
