using Trackelio.Functions.Enrichment.UserAgents;

namespace Trackelio.Functions.Tests.Enrichment;

/// <summary>The uap-core rules against well-known user agents.</summary>
public sealed class UserAgentParserTests
{
    private static readonly UserAgentParser Parser = UserAgentParser.FromEmbeddedRules();

    [Theory]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36",
        "Chrome", "120.0.6099", "Windows", "Other")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
        "Mobile Safari", "17.2", "iOS", "iPhone")]
    [InlineData("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Firefox", "121.0", "Ubuntu", "Other")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
        "Edge", "120.0.2210", "Windows", "Other")]
    [InlineData("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
        "Chrome Mobile", "120.0.6099", "Android", "Samsung SM-S918B")]
    [InlineData("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
        "Safari", "17.2", "Mac OS X", "Mac")]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Googlebot", "2.1", "Other", "Spider")]
    public void Well_known_agents_parse(string userAgent, string browser, string version, string os, string device)
    {
        var parsed = Parser.Parse(userAgent);

        Assert.Equal(browser, parsed.Browser);
        Assert.Equal(version, parsed.BrowserVersion);
        Assert.Equal(os, parsed.Os);
        Assert.Equal(device, parsed.Device);
    }

    [Fact]
    public void Nearly_all_rules_load()
    {
        Assert.True(Parser.RuleCount > 500, $"only {Parser.RuleCount} rules loaded");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("!!!")]
    public void Unknown_or_empty_agents_are_other(string? userAgent)
    {
        var parsed = Parser.Parse(userAgent);

        Assert.Equal("Other", parsed.Browser);
    }
}
