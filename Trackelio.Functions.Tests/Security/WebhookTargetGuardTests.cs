using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Tests.Security;

/// <summary>The SSRF rules: every range of the IANA special-purpose registries and every spelling, each with the reason it is refused.</summary>
public sealed class WebhookTargetGuardTests
{
    /// <summary>A public address that stands for "this machine" in these tests (the real machine's addresses are tested separately).</summary>
    private static readonly IPAddress OwnPublicAddress = IPAddress.Parse("8.8.4.4");

    private sealed class StubResolver(Dictionary<string, IPAddress[]> names) : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new SocketException((int)SocketError.HostNotFound);
    }

    private sealed class StubMachine : IMachineAddresses
    {
        public IReadOnlySet<IPAddress> Addresses { get; } = new HashSet<IPAddress> { OwnPublicAddress, IPAddress.Parse("2a00:1450:4001:81c::200e") };

        public IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "app-host-7", "app-host-7.corp.example.com" };
    }

    private static WebhookTargetGuard Guard(bool allowPrivate = false) => new(
        Options.Create(new WebhookOptions { AllowPrivateTargets = allowPrivate }),
        new StubResolver(new Dictionary<string, IPAddress[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["hooks.example.com"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("2606:2800:21f:cb07:6820:80da:af6b:8b2c")],
            ["rebind.example.com"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.1.2.3")],
            ["metadata.example.com"] = [IPAddress.Parse("169.254.169.254")],
            ["nat64.example.com"] = [IPAddress.Parse("64:ff9b::a9fe:a9fe")],
            ["own.example.com"] = [OwnPublicAddress],
            ["own6.example.com"] = [IPAddress.Parse("2a00:1450:4001:81c::200e")],
        }),
        new StubMachine());

    /// <summary>Every spelling the issue names (and more), with the reason it must be refused.</summary>
    public static TheoryData<string, string> RefusedUrls => new()
    {
        // Plain internal IPv4, and odd spellings of it that Uri and the resolver accept.
        { "https://127.0.0.1/hook", "127.0.0.0/8 (loopback" },
        { "https://2130706433/hook", "127.0.0.0/8 (loopback" },            // decimal
        { "https://0x7f000001/hook", "127.0.0.0/8 (loopback" },            // hexadecimal
        { "https://0x7f.1/hook", "127.0.0.0/8 (loopback" },                // mixed, two parts
        { "https://0177.0.0.1/hook", "127.0.0.0/8 (loopback" },            // octal
        { "https://127.1/hook", "127.0.0.0/8 (loopback" },                 // short form
        { "https://0/hook", "0.0.0.0/32 (\"this host" },
        { "https://169.254.169.254/latest/meta-data", "169.254.0.0/16 (link-local" },
        { "https://0xa9fea9fe/latest/meta-data", "169.254.0.0/16 (link-local" },
        { "https://10.0.0.5/hook", "10.0.0.0/8 (private-use" },
        { "https://172.31.255.1/hook", "172.16.0.0/12 (private-use" },
        { "https://192.168.1.1/hook", "192.168.0.0/16 (private-use" },
        { "https://100.64.0.1/hook", "100.64.0.0/10 (shared address space" },
        { "https://198.18.0.1/hook", "198.18.0.0/15 (benchmarking" },
        { "https://198.19.255.254/hook", "198.18.0.0/15 (benchmarking" },
        { "https://192.0.2.10/hook", "192.0.2.0/24 (documentation" },
        { "https://198.51.100.7/hook", "198.51.100.0/24 (documentation" },
        { "https://203.0.113.9/hook", "203.0.113.0/24 (documentation" },
        { "https://192.0.0.170/hook", "192.0.0.170/32 (NAT64/DNS64 discovery" },
        { "https://192.88.99.1/hook", "192.88.99.0/24 (deprecated 6to4 relay" },
        { "https://224.0.0.1/hook", "224.0.0.0/4 (multicast" },
        { "https://250.1.2.3/hook", "240.0.0.0/4 (reserved" },
        { "https://255.255.255.255/hook", "255.255.255.255/32 (limited broadcast" },
        // IPv6 and the IPv6 forms that carry an IPv4 address.
        { "https://[::1]/hook", "::1/128 (loopback" },
        { "https://[0:0:0:0:0:0:0:1]/hook", "::1/128 (loopback" },
        { "https://[::]/hook", "::/128 (unspecified" },
        { "https://[::ffff:127.0.0.1]/hook", "IPv4-mapped (RFC 4291 §2.5.5.2) for 127.0.0.1" },
        { "https://[::ffff:a9fe:a9fe]/hook", "IPv4-mapped (RFC 4291 §2.5.5.2) for 169.254.169.254" },
        { "https://[::a9fe:a9fe]/hook", "IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) for 169.254.169.254" },
        { "https://[::127.0.0.1]/hook", "IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) for 127.0.0.1" },
        { "https://[::8.8.8.8]/hook", "outside IPv6 global unicast 2000::/3" },
        { "https://[::ffff:0:7f00:1]/hook", "SIIT IPv4-translated (RFC 2765 §2.1) for 127.0.0.1" },
        { "https://[64:ff9b::a9fe:a9fe]/hook", "NAT64 (RFC 6052) for 169.254.169.254" },
        { "https://[64:ff9b::10.0.0.1]/hook", "NAT64 (RFC 6052) for 10.0.0.1" },
        { "https://[64:ff9b:1:a9fe:a9:fe00::]/hook", "local-use NAT64 (RFC 8215) for 169.254.169.254" },
        { "https://[64:ff9b:1:808:8:800::]/hook", "64:ff9b:1::/48 (IPv4/IPv6 translation (local-use NAT64)" },
        { "https://[2002:a9fe:a9fe::1]/hook", "6to4 (RFC 3056) for 169.254.169.254" },
        { "https://[2002:808:808::1]/hook", "2002::/16 (6to4" },
        { "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook", "Teredo (RFC 4380 §4) with client 127.0.0.1" },
        { "https://[2001:0:a9fe:a9fe::1]/hook", "Teredo (RFC 4380 §4) with server 169.254.169.254" },
        { "https://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/hook", "2001::/32 (Teredo" },
        { "https://[fe80::1]/hook", "fe80::/10 (link-local unicast" },
        { "https://[fe80::1%25eth0]/hook", "fe80::/10 (link-local unicast" },
        { "https://[fc00::1]/hook", "fc00::/7 (unique-local" },
        { "https://[fd12:3456::1]/hook", "fc00::/7 (unique-local" },
        { "https://[fec0::1]/hook", "fec0::/10 (deprecated site-local" },
        { "https://[ff02::1]/hook", "ff00::/8 (multicast" },
        { "https://[2001:db8::1]/hook", "2001:db8::/32 (documentation" },
        { "https://[3fff::1]/hook", "3fff::/20 (documentation" },
        { "https://[2001:2::1]/hook", "2001:2::/48 (benchmarking" },
        { "https://[2001:10::1]/hook", "2001:10::/28 (deprecated ORCHID" },
        { "https://[100::1]/hook", "100::/64 (discard-only" },
        { "https://[5f00::1]/hook", "5f00::/16 (segment routing" },
        { "https://[4000::1]/hook", "outside IPv6 global unicast 2000::/3" },
        // Names: local by convention, this machine, and names that resolve (even partly) to internal addresses.
        { "https://localhost/hook", "localhost, RFC 6761" },
        { "https://LOCALHOST./hook", "localhost, RFC 6761" },
        { "https://api.localhost/hook", "localhost, RFC 6761" },
        { "https://printer.local/hook", "not .local" },
        { "https://metadata.google.internal/hook", "not .local, .internal" },
        { "https://router.home.arpa/hook", ".home.arpa" },
        { "https://intranet/hook", "a single label" },
        { "https://app-host-7/hook", "its own host name" },
        { "https://APP-HOST-7.corp.example.com/hook", "its own host name" },
        { "https://metadata.example.com/hook", "resolves to 169.254.169.254, which is in 169.254.0.0/16" },
        { "https://nat64.example.com/hook", "NAT64 (RFC 6052) for 169.254.169.254" },
        { "https://rebind.example.com/hook", "resolves to 10.1.2.3, which is in 10.0.0.0/8" },
        { "https://own.example.com/hook", "resolves to 8.8.4.4, which is an address of this machine" },
        { "https://own6.example.com/hook", "which is an address of this machine" },
        { "https://[::ffff:8.8.4.4]/hook", "is an address of this machine" },
        { "https://nowhere.example.com/hook", "does not" },
        // Not https, or not a URL we send to.
        { "http://hooks.example.com/hook", "must use https" },
        { "ftp://files.example/hook", "absolute http or https URL" },
        { "https://user:pass@hooks.example.com/hook", "without credentials" },
        { "nope", "absolute http or https URL" },
    };

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task Internal_targets_are_refused_with_the_reason(string url, string reason)
    {
        var problem = await Guard().ProblemWithAsync(url, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
    }

    [Theory]
    [InlineData("https://hooks.example.com/trackelio")]
    [InlineData("https://93.184.215.14/hook")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook")]
    [InlineData("https://[::ffff:93.184.215.14]/hook")]        // IPv4-mapped form of a global address
    [InlineData("https://[64:ff9b::5db8:d70e]/hook")]          // NAT64 of a global address (the registry marks 64:ff9b::/96 reachable)
    [InlineData("https://192.0.0.9/hook")]                     // PCP anycast: reachable inside the refused 192.0.0.0/24
    [InlineData("https://[2001:20::1]/hook")]                  // ORCHIDv2: reachable inside the refused 2001::/23
    [InlineData("https://100.63.255.255/hook")]                // just below shared address space
    [InlineData("https://198.20.0.1/hook")]                    // just above benchmarking
    public async Task Globally_reachable_targets_are_accepted(string url)
    {
        Assert.Null(await Guard().ProblemWithAsync(url, CancellationToken.None));
    }

    public static TheoryData<string, string, bool> EveryRegistryBlock()
    {
        var rows = new TheoryData<string, string, bool>();
        foreach (var block in SpecialPurposeAddresses.IPv4.Concat(SpecialPurposeAddresses.IPv6))
        {
            rows.Add(block.Network.ToString(), $"{block.Name}, {block.Reference}", block.GloballyReachable);
        }
        return rows;
    }

    /// <summary>The first, a middle and the last address of every block are judged as the registry says (the most specific block wins).</summary>
    [Theory]
    [MemberData(nameof(EveryRegistryBlock))]
    public void Every_registry_block_decides_its_addresses(string cidr, string entry, bool reachable)
    {
        var network = IPNetwork.Parse(cidr);
        var blocks = SpecialPurposeAddresses.IPv4.Concat(SpecialPurposeAddresses.IPv6).ToList();
        foreach (var address in SamplesOf(network))
        {
            // A more specific block inside this one decides its own addresses.
            var decisive = blocks.Where(b => b.Contains(address)).MaxBy(b => b.Network.PrefixLength)!;
            var problem = SpecialPurposeAddresses.WhyNotGlobal(address);
            if (decisive.Network != network)
            {
                continue;
            }
            if (address.IsIPv4MappedToIPv6)
            {
                // The one exception to the registry: an IPv4-mapped address is how a dual-stack socket spells the IPv4 address, judged as that.
                Assert.Equal(SpecialPurposeAddresses.WhyNotGlobal(address.MapToIPv4()) is null, problem is null);
            }
            else if (reachable)
            {
                Assert.True(problem is null || problem.Contains(" for ", StringComparison.Ordinal), $"{address} ({entry}) should be reachable, got: {problem}");
            }
            else
            {
                Assert.True(problem is not null, $"{address} in {cidr} ({entry}) was accepted");
            }
        }
    }

    private static IEnumerable<IPAddress> SamplesOf(IPNetwork network)
    {
        var first = network.BaseAddress.GetAddressBytes();
        var bits = first.Length * 8;
        var last = (byte[])first.Clone();
        var middle = (byte[])first.Clone();
        for (var bit = network.PrefixLength; bit < bits; bit++)
        {
            last[bit / 8] |= (byte)(0x80 >> (bit % 8));
            if (bit == network.PrefixLength)
            {
                middle[bit / 8] |= (byte)(0x80 >> (bit % 8));
            }
        }
        return [new IPAddress(first), new IPAddress(middle), new IPAddress(last)];
    }

    [Fact]
    public async Task Loopback_is_allowed_only_behind_the_explicit_setting()
    {
        Assert.NotNull(await Guard().ProblemWithAsync("http://127.0.0.1:8080/hook", CancellationToken.None));
        Assert.Null(await Guard(allowPrivate: true).ProblemWithAsync("http://127.0.0.1:8080/hook", CancellationToken.None));
        Assert.NotNull(await Guard(allowPrivate: true).ProblemWithAsync("ftp://127.0.0.1/hook", CancellationToken.None));
    }

    [Fact]
    public async Task This_machines_real_host_name_and_interface_addresses_are_refused()
    {
        var machine = new MachineAddresses(TimeProvider.System);
        var guard = new WebhookTargetGuard(Options.Create(new WebhookOptions()), new DnsWebhookHostResolver(), machine);

        Assert.NotNull(await guard.ProblemWithAsync($"https://{Dns.GetHostName()}/hook", CancellationToken.None));
        Assert.NotEmpty(machine.Addresses);
        foreach (var address in machine.Addresses)
        {
            Assert.NotNull(guard.ProblemWith(address));
        }
    }

    [Fact]
    public async Task The_connect_time_check_refuses_a_name_that_now_resolves_inside()
    {
        var guard = Guard();
        using var handler = new SocketsHttpHandler { ConnectCallback = guard.ConnectAsync, AllowAutoRedirect = false };
        using var client = new HttpClient(handler);

        // Saved while it resolved outside; at delivery it resolves (partly) inside: the connection is never made.
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("https://rebind.example.com/hook"));
        var literal = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("http://[64:ff9b::7f00:1]:9/hook"));

        Assert.Contains("10.1.2.3", error.ToString());
        Assert.Contains("NAT64", literal.ToString());
    }
}
