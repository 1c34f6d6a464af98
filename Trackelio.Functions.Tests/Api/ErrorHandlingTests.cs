using System.Net;
using Azure;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Api;

public sealed class ErrorHandlingTests
{
    [Fact]
    public void Unreachable_storage_is_503_with_retry_after()
    {
        var error = ErrorHandlingMiddleware.Classify(new RequestFailedException("connection refused", new HttpRequestException("refused")));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal("storage_unavailable", error.Code);
        Assert.NotNull(error.RetryAfter);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public void Busy_or_broken_storage_is_503(int status)
    {
        Assert.Equal(503, ErrorHandlingMiddleware.Classify(new RequestFailedException(status, "busy")).StatusCode);
    }

    [Fact]
    public void Storage_refusing_a_request_is_a_500_not_a_503()
    {
        // A 403 from storage is our bug (bad signature, wrong key), not an outage to retry.
        Assert.Equal(500, ErrorHandlingMiddleware.Classify(new RequestFailedException(403, "forbidden")).StatusCode);
    }

    [Fact]
    public void Oversized_body_rejected_by_the_server_is_413()
    {
        var error = ErrorHandlingMiddleware.Classify(new Microsoft.AspNetCore.Http.BadHttpRequestException("too large", (int)HttpStatusCode.RequestEntityTooLarge));

        Assert.Equal(413, error.StatusCode);
    }

    [Fact]
    public void Anything_else_is_a_plain_500()
    {
        var error = ErrorHandlingMiddleware.Classify(new InvalidOperationException("secret internal detail"));

        Assert.Equal(500, error.StatusCode);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
