using Trackelio.Functions.Enrichment.Redaction;

namespace Trackelio.Functions.Tests.Enrichment;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer eyJabc.def-ghi_jkl", "hunter")]
    [InlineData("{\"password\":\"hunter2\",\"user\":\"ann\"}", "hunter2")]
    [InlineData("{\"user_password\": \"hunter2\"}", "hunter2")]
    [InlineData("{\"access_token\":\"tok_123456\"}", "tok_123456")]
    [InlineData("{\"client_secret\":\"s3cr3t\"}", "s3cr3t")]
    [InlineData("{\"api_key\":\"AKIA123\"}", "AKIA123")]
    [InlineData("https://api.example/v1?api_key=AKIA123&page=2", "AKIA123")]
    [InlineData("login failed: password=hunter2 for ann", "hunter2")]
    [InlineData("token: abc123def", "abc123def")]
    [InlineData("Basic dXNlcjpwYXNz", "dXNlcjpwYXNz")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "eyJzdWIiOiIxIn0")]
    [InlineData("paid with 4111 1111 1111 1111 today", "4111 1111 1111 1111")]
    [InlineData("card=5500-0000-0000-0004", "5500-0000-0000-0004")]
    public void Secrets_are_removed(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text, out var count);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.True(count > 0);
        Assert.Contains("[REDACTED", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("order 1234567890123 shipped")] // 13 digits failing Luhn
    [InlineData("GET /api/items?page=2&sort=asc")]
    [InlineData("{\"user\":\"ann\",\"count\":3}")]
    [InlineData("TypeError: cannot read property 'x' of undefined")]
    [InlineData("timestamp 1736847682000")] // passes Luhn, but no card network starts with 17
    [InlineData("order 4111111111111112")] // a Visa prefix, but a wrong check digit
    public void Ordinary_text_is_left_alone(string text)
    {
        var redacted = SecretRedactor.Redact(text, out var count);

        Assert.Equal(text, redacted);
        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("cookie", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("X-Api-Key", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("Accept", false)]
    [InlineData("Content-Type", false)]
    public void Secret_headers_are_recognised(string name, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretHeader(name));
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = SecretRedactor.Redact("password=hunter2 Bearer abcdef", out _);

        var twice = SecretRedactor.Redact(once, out var count);

        Assert.Equal(once, twice);
        Assert.Equal(0, count);
    }
}
