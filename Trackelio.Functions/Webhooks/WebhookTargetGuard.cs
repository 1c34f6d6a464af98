using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Trackelio.Functions.Webhooks;

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

    /// <summary>
    /// How long after a write's flush message is queued it is read (<see cref="EventOutbox"/>): long
    /// enough that the write it guards has ended by then (a request's storage budget is 5 s).
    /// </summary>
    public TimeSpan OutboxFlushDelay { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Keeps webhook deliveries off internal networks. An address is refused when the IANA
/// special-purpose registries say it is not globally reachable (<see cref="SpecialPurposeAddresses"/>)
/// or when it is one of this machine's own addresses. A URL is checked when it is saved (its name
/// resolved, refused if ANY address is refused) and again on every connection (the same rules,
/// on the addresses the name resolves to then), so a name that resolves differently later — DNS
/// rebinding — is caught too. Redirects are not followed (see <c>ManagementApi</c>).
/// </summary>
public sealed class WebhookTargetGuard(IOptions<WebhookOptions> options, IWebhookHostResolver resolver, IMachineAddresses machine)
{
    public bool AllowPrivateTargets => options.Value.AllowPrivateTargets;

    /// <summary>Why a URL may not be registered, or null: http(s), and a name or address that is globally reachable and not this machine.</summary>
    public async Task<string?> ProblemWithAsync(string url, CancellationToken cancellationToken)
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
        // Uri has already turned odd IPv4 spellings (2130706433, 0x7f.1, 0177.0.0.1, 127.1) into dotted quads.
        var host = uri.IdnHost.TrimEnd('.');
        if (IPAddress.TryParse(host, out var literal))
        {
            return ProblemWith(literal) is { } problem ? $"must not point at an internal address: {literal} {problem}" : null;
        }
        if (ProblemWithName(host) is { } nameProblem)
        {
            return nameProblem;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return $"must name a host that resolves; {host} does not";
        }
        if (addresses.Length == 0)
        {
            return $"must name a host that resolves; {host} does not";
        }
        foreach (var address in addresses)
        {
            if (ProblemWith(address) is { } problem)
            {
                return $"must not point at an internal address: {host} resolves to {address}, which {problem}";
            }
        }
        return null;
    }

    /// <summary>Why a delivery may not connect to the address, or null. The same rules at save and connect time.</summary>
    public string? ProblemWith(IPAddress address)
    {
        if (SpecialPurposeAddresses.WhyNotGlobal(address) is { } reason)
        {
            return reason;
        }
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : SpecialPurposeAddresses.Plain(address);
        return machine.Addresses.Contains(plain) ? "is an address of this machine" : null;
    }

    /// <summary>Names that mean this machine or a private network whatever they resolve to.</summary>
    private string? ProblemWithName(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "must not point at this machine (localhost, RFC 6761 §6.3)";
        }
        if (machine.Names.Contains(host))
        {
            return "must not point at this machine (its own host name)";
        }
        if (host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".home.arpa", StringComparison.OrdinalIgnoreCase) || !host.Contains('.'))
        {
            return "must be a public host name (not .local, .internal, .home.arpa or a single label)";
        }
        return null;
    }

    /// <summary>
    /// The connect callback for the delivery <see cref="SocketsHttpHandler"/>: resolves the name,
    /// refuses the connection if any address it resolves to is refused, and connects to the
    /// checked addresses only.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (!AllowPrivateTargets)
        {
            foreach (var address in addresses)
            {
                if (ProblemWith(address) is { } problem)
                {
                    throw new HttpRequestException($"Webhook target {host} resolves to {address}, which {problem}.");
                }
            }
        }
        if (addresses.Length == 0)
        {
            throw new HttpRequestException($"Webhook target {host} does not resolve.");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
