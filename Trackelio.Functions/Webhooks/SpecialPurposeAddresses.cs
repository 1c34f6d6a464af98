using System.Net;
using System.Net.Sockets;

namespace Trackelio.Functions.Webhooks;

/// <summary>A block of the IANA special-purpose address registries, with whether the registry calls it globally reachable.</summary>
public sealed record SpecialPurposeBlock(IPNetwork Network, string Name, string Reference, bool GloballyReachable)
{
    /// <summary>
    /// Whether the address lies in the block, compared bit by bit (<see cref="IPNetwork.Contains"/>
    /// does not match IPv4-mapped addresses against <c>::ffff:0:0/96</c>).
    /// </summary>
    public bool Contains(IPAddress address) => SpecialPurposeAddresses.InPrefix(address, Network);

    public static SpecialPurposeBlock Refused(string cidr, string name, string reference) => new(IPNetwork.Parse(cidr), name, reference, false);

    public static SpecialPurposeBlock Reachable(string cidr, string name, string reference) => new(IPNetwork.Parse(cidr), name, reference, true);
}

/// <summary>
/// Decides whether an address is globally reachable, by the IANA IPv4 and IPv6 Special-Purpose
/// Address Registries (https://www.iana.org/assignments/iana-ipv4-special-registry,
/// https://www.iana.org/assignments/iana-ipv6-special-registry, RFC 6890 and RFC 8190) rather than
/// a hand-picked list. Every block whose "Globally Reachable" is False (or N/A, for the deprecated
/// ones) is listed; the few blocks marked True that sit inside such a block are listed too, and the
/// most specific block wins. Two rules come from the address-space registries instead: IPv4
/// multicast (RFC 5771) and IPv6 outside global unicast 2000::/3 (RFC 4291 §2.4) are refused.
/// IPv6 forms that carry an IPv4 address are judged by that address as well (see <see cref="WhyNotGlobal"/>).
/// </summary>
public static class SpecialPurposeAddresses
{
    public static readonly IReadOnlyList<SpecialPurposeBlock> IPv4 =
    [
        SpecialPurposeBlock.Refused("0.0.0.0/8", "\"this network\"", "RFC 791 §3.2"),
        SpecialPurposeBlock.Refused("0.0.0.0/32", "\"this host on this network\"", "RFC 1122 §3.2.1.3"),
        SpecialPurposeBlock.Refused("10.0.0.0/8", "private-use", "RFC 1918"),
        SpecialPurposeBlock.Refused("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598"),
        SpecialPurposeBlock.Refused("127.0.0.0/8", "loopback", "RFC 1122 §3.2.1.3"),
        SpecialPurposeBlock.Refused("169.254.0.0/16", "link-local (incl. the cloud metadata address)", "RFC 3927"),
        SpecialPurposeBlock.Refused("172.16.0.0/12", "private-use", "RFC 1918"),
        SpecialPurposeBlock.Refused("192.0.0.0/24", "IETF protocol assignments", "RFC 6890 §2.1"),
        SpecialPurposeBlock.Refused("192.0.0.0/29", "IPv4 service continuity prefix", "RFC 7335"),
        SpecialPurposeBlock.Refused("192.0.0.8/32", "IPv4 dummy address", "RFC 7600"),
        SpecialPurposeBlock.Reachable("192.0.0.9/32", "Port Control Protocol anycast", "RFC 7723"),
        SpecialPurposeBlock.Reachable("192.0.0.10/32", "Traversal Using Relays around NAT anycast", "RFC 8155"),
        SpecialPurposeBlock.Refused("192.0.0.170/32", "NAT64/DNS64 discovery", "RFC 8880, RFC 7050 §2.2"),
        SpecialPurposeBlock.Refused("192.0.0.171/32", "NAT64/DNS64 discovery", "RFC 8880, RFC 7050 §2.2"),
        SpecialPurposeBlock.Refused("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737"),
        SpecialPurposeBlock.Refused("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526"),
        SpecialPurposeBlock.Refused("192.168.0.0/16", "private-use", "RFC 1918"),
        SpecialPurposeBlock.Refused("198.18.0.0/15", "benchmarking", "RFC 2544"),
        SpecialPurposeBlock.Refused("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737"),
        SpecialPurposeBlock.Refused("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737"),
        SpecialPurposeBlock.Refused("240.0.0.0/4", "reserved", "RFC 1112 §4"),
        SpecialPurposeBlock.Refused("255.255.255.255/32", "limited broadcast", "RFC 8190, RFC 919 §7"),
        // Not in the special-purpose registry but never a unicast destination: the IPv4 address space registry's multicast block.
        SpecialPurposeBlock.Refused("224.0.0.0/4", "multicast", "RFC 5771"),
    ];

    public static readonly IReadOnlyList<SpecialPurposeBlock> IPv6 =
    [
        SpecialPurposeBlock.Refused("::1/128", "loopback", "RFC 4291"),
        SpecialPurposeBlock.Refused("::/128", "unspecified", "RFC 4291"),
        SpecialPurposeBlock.Refused("::ffff:0:0/96", "IPv4-mapped", "RFC 4291"),
        SpecialPurposeBlock.Reachable("64:ff9b::/96", "IPv4/IPv6 translation (NAT64 well-known prefix)", "RFC 6052"),
        SpecialPurposeBlock.Refused("64:ff9b:1::/48", "IPv4/IPv6 translation (local-use NAT64)", "RFC 8215"),
        SpecialPurposeBlock.Refused("100::/64", "discard-only", "RFC 6666"),
        SpecialPurposeBlock.Refused("100:0:0:1::/64", "dummy IPv6 prefix", "RFC 9780"),
        SpecialPurposeBlock.Refused("2001::/23", "IETF protocol assignments", "RFC 2928"),
        SpecialPurposeBlock.Refused("2001::/32", "Teredo", "RFC 4380, RFC 8190"),
        SpecialPurposeBlock.Reachable("2001:1::1/128", "Port Control Protocol anycast", "RFC 7723"),
        SpecialPurposeBlock.Reachable("2001:1::2/128", "Traversal Using Relays around NAT anycast", "RFC 8155"),
        SpecialPurposeBlock.Reachable("2001:1::3/128", "DNS-SD service registration protocol anycast", "RFC 9665"),
        SpecialPurposeBlock.Refused("2001:2::/48", "benchmarking", "RFC 5180, RFC Errata 1752"),
        SpecialPurposeBlock.Reachable("2001:3::/32", "Automatic Multicast Tunneling", "RFC 7450"),
        SpecialPurposeBlock.Reachable("2001:4:112::/48", "AS112-v6", "RFC 7535"),
        SpecialPurposeBlock.Refused("2001:10::/28", "deprecated ORCHID", "RFC 4843"),
        SpecialPurposeBlock.Reachable("2001:20::/28", "ORCHIDv2", "RFC 7343"),
        SpecialPurposeBlock.Refused("2001:db8::/32", "documentation", "RFC 3849"),
        SpecialPurposeBlock.Refused("2002::/16", "6to4", "RFC 3056"),
        SpecialPurposeBlock.Refused("3fff::/20", "documentation", "RFC 9637"),
        SpecialPurposeBlock.Refused("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602"),
        SpecialPurposeBlock.Refused("fc00::/7", "unique-local", "RFC 4193, RFC 8190"),
        SpecialPurposeBlock.Refused("fe80::/10", "link-local unicast", "RFC 4291"),
        // From the IPv6 address space registry: multicast, and the deprecated site-local block.
        SpecialPurposeBlock.Refused("ff00::/8", "multicast", "RFC 4291 §2.7"),
        SpecialPurposeBlock.Refused("fec0::/10", "deprecated site-local", "RFC 3879"),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork Mapped = IPNetwork.Parse("::ffff:0:0/96");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork Translated = IPNetwork.Parse("::ffff:0:0:0/96");
    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Teredo = IPNetwork.Parse("2001::/32");

    /// <summary>
    /// Why <paramref name="address"/> is not globally reachable, or null when it is. IPv6 forms
    /// that carry an IPv4 address (IPv4-mapped, IPv4-compatible, SIIT-translated, NAT64 with the
    /// well-known or a local prefix, 6to4, Teredo's client and server) are refused when any
    /// carried address is internal; of them only IPv4-mapped and well-known NAT64 addresses of a
    /// global IPv4 address pass (the others are themselves not globally reachable).
    /// </summary>
    public static string? WhyNotGlobal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return Judge(address, IPv4);
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "is not an IP address";
        }
        address = Plain(address);

        foreach (var (form, carried) in EmbeddedIPv4(address))
        {
            if (Judge(carried, IPv4) is { } inner)
            {
                return $"{form} {carried}, which {inner}";
            }
        }
        if (InPrefix(address, Mapped))
        {
            return null; // the IPv4 address itself, as a dual-stack socket spells it: judged above
        }
        if (Judge(address, IPv6) is { } reason)
        {
            return reason;
        }
        if (!InPrefix(address, GlobalUnicast) && !InPrefix(address, Nat64))
        {
            return "is outside IPv6 global unicast 2000::/3 (reserved by the IETF, RFC 4291 §2.4)";
        }
        return null;
    }

    /// <summary>The IPv4 addresses an IPv6 address carries, with the form that carries them.</summary>
    public static IEnumerable<(string Form, IPAddress Carried)> EmbeddedIPv4(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (InPrefix(address, Mapped))
        {
            yield return ("is IPv4-mapped (RFC 4291 §2.5.5.2) for", V4(b, 12));
        }
        else if (InPrefix(address, Translated))
        {
            yield return ("is SIIT IPv4-translated (RFC 2765 §2.1) for", V4(b, 12));
        }
        else if (InPrefix(address, Compatible) && !IPAddress.IPv6Loopback.Equals(address) && !IPAddress.IPv6Any.Equals(address))
        {
            yield return ("is IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) for", V4(b, 12));
        }
        else if (InPrefix(address, Nat64))
        {
            yield return ("is NAT64 (RFC 6052) for", V4(b, 12));
        }
        else if (InPrefix(address, Nat64Local))
        {
            // RFC 6052 §2.2, prefix length 48: bits 48–63 and 72–87 (bits 64–71 are the zero "u" octet).
            yield return ("is local-use NAT64 (RFC 8215) for", new IPAddress(new[] { b[6], b[7], b[9], b[10] }));
        }
        else if (InPrefix(address, SixToFour))
        {
            yield return ("is 6to4 (RFC 3056) for", V4(b, 2));
        }
        else if (InPrefix(address, Teredo))
        {
            yield return ("is Teredo (RFC 4380 §4) with server", V4(b, 4));
            var client = V4(b, 12).GetAddressBytes();
            for (var i = 0; i < 4; i++)
            {
                client[i] ^= 0xff; // the client's address is stored inverted
            }
            yield return ("is Teredo (RFC 4380 §4) with client", new IPAddress(client));
        }
    }

    /// <summary>Without a zone index (<c>fe80::1%eth0</c> is <c>fe80::1</c>: the zone changes nothing about where it lies), IPv4-mapped kept as is.</summary>
    public static IPAddress Plain(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    public static bool InPrefix(IPAddress address, IPNetwork network)
    {
        if (address.AddressFamily != network.BaseAddress.AddressFamily)
        {
            return false;
        }
        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out var length);
        network.BaseAddress.TryWriteBytes(n, out _);
        var bits = network.PrefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xff : (byte)(0xff << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }
        return true;
    }

    private static IPAddress V4(byte[] bytes, int offset) => new(bytes.AsSpan(offset, 4));

    /// <summary>The most specific block containing the address decides.</summary>
    private static string? Judge(IPAddress address, IReadOnlyList<SpecialPurposeBlock> registry)
    {
        SpecialPurposeBlock? decisive = null;
        foreach (var block in registry)
        {
            if (block.Contains(address) && (decisive is null || block.Network.PrefixLength > decisive.Network.PrefixLength))
            {
                decisive = block;
            }
        }
        return decisive is { GloballyReachable: false }
            ? $"is in {decisive.Network} ({decisive.Name}, {decisive.Reference}), not globally reachable"
            : null;
    }
}
