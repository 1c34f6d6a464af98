using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Security;

/// <summary>The client's address as per-IP limits see it: the entry the host added, parsed properly, IPv6 by /64.</summary>
public sealed class ClientIpTests
{
    /// <summary>Runs the app's forwarded-headers handling over one request and returns the client bucket.</summary>
    private static async Task<string> BucketAsync(string connectedFrom, string? forwardedFor)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(connectedFrom);
        http.Connection.RemotePort = 40000;
        if (forwardedFor is not null)
        {
            http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }
        string? bucket = null;
        var middleware = new ForwardedHeadersMiddleware(context =>
        {
            bucket = ClientIp.Of(context);
            return Task.CompletedTask;
        }, NullLoggerFactory.Instance, Options.Create(ClientIp.ForwardingOptions()));

        await middleware.Invoke(http);

        return bucket!;
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7:52044", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2:3:4:5:6]:443", "2001:db8:1:2::/64")]
    [InlineData("[2001:db8:1:2::ffff]:1", "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("[::ffff:203.0.113.7]:8080", "203.0.113.7")]
    public async Task The_hosts_entry_is_parsed_with_or_without_a_port(string entry, string expected)
    {
        Assert.Equal(expected, await BucketAsync("127.0.0.1", entry));
    }

    [Theory]
    [InlineData("1.1.1.1, 203.0.113.7:52044")]
    [InlineData("1.1.1.1,203.0.113.7")]
    [InlineData("10.0.0.1, 192.168.0.1, 203.0.113.7:1")]
    [InlineData("garbage, 203.0.113.7")]
    public async Task A_client_sent_X_Forwarded_For_does_not_change_its_bucket(string header)
    {
        Assert.Equal("203.0.113.7", await BucketAsync("127.0.0.1", header));
    }

    [Fact]
    public async Task A_fresh_spoofed_entry_per_request_still_lands_in_one_bucket()
    {
        var buckets = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            buckets.Add(await BucketAsync("127.0.0.1", $"198.51.100.{i}, 203.0.113.7:{50000 + i}"));
        }

        Assert.Equal(["203.0.113.7"], buckets);
    }

    [Fact]
    public async Task IPv6_clients_in_one_64_share_a_bucket_and_other_64s_do_not()
    {
        var same = await BucketAsync("::1", "[2001:db8:aa:bb::1]:1000");
        var sameSubnet = await BucketAsync("::1", "2001:db8:aa:bb:ffff:ffff:ffff:ffff");
        var next = await BucketAsync("::1", "2001:db8:aa:bc::1");
        var otherPrefix = await BucketAsync("::1", "2001:db9:aa:bb::1");

        Assert.Equal(same, sameSubnet);
        Assert.NotEqual(same, next);
        Assert.NotEqual(same, otherPrefix); // the old cut at ':' put all of 2001::/16 together
    }

    [Fact]
    public async Task A_header_from_a_connection_that_is_not_the_host_is_ignored()
    {
        Assert.Equal("198.51.100.20", await BucketAsync("198.51.100.20", "203.0.113.7"));
    }

    [Fact]
    public async Task The_connection_address_is_used_when_the_host_sends_no_header()
    {
        Assert.Equal("2001:db8:5:6::/64", await BucketAsync("2001:db8:5:6::9", null));
    }
}
