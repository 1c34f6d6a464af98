using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

public sealed class OriginMatcherTests
{
    [Theory]
    [InlineData("https://shop.example", "https://shop.example", true)]
    [InlineData("https://SHOP.example", "https://shop.example", true)]
    [InlineData("https://shop.example:443", "https://shop.example", true)]
    [InlineData("https://shop.example", "https://shop.example:443/", true)]
    [InlineData("http://shop.example", "https://shop.example", false)]
    [InlineData("https://shop.example:8443", "https://shop.example", false)]
    [InlineData("https://evil.example", "https://shop.example", false)]
    [InlineData("https://shop.example.evil.com", "https://shop.example", false)]
    [InlineData("https://a.example.com", "https://*.example.com", true)]
    [InlineData("https://a.b.example.com", "https://*.example.com", true)]
    [InlineData("https://example.com", "https://*.example.com", false)]
    [InlineData("https://evilexample.com", "https://*.example.com", false)]
    [InlineData("http://a.example.com", "https://*.example.com", false)]
    [InlineData("https://anything.test", "*", true)]
    [InlineData("null", "https://shop.example", false)]
    [InlineData("https://*.example.com", "https://*.example.com", false)]
    [InlineData("http://localhost:3000", "http://localhost:3000", true)]
    public void Origin_matches_only_what_is_allowed(string origin, string allowed, bool expected)
    {
        Assert.Equal(expected, OriginMatcher.IsAllowed(origin, [allowed]));
    }

    [Fact]
    public void No_allowed_origins_allows_none()
    {
        Assert.False(OriginMatcher.IsAllowed("https://shop.example", []));
    }

    [Theory]
    [InlineData("https://Shop.Example:443/", "https://shop.example")]
    [InlineData("http://localhost:3000", "http://localhost:3000")]
    [InlineData("https://*.example.com", "https://*.example.com")]
    [InlineData("*", "*")]
    [InlineData("shop.example", null)]
    [InlineData("ftp://shop.example", null)]
    [InlineData("https://shop.example/path", null)]
    public void Normalize_gives_the_canonical_origin_or_null(string value, string? expected)
    {
        Assert.Equal(expected, OriginMatcher.Normalize(value));
    }
}
