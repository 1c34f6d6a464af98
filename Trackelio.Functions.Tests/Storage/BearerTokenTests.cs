using System.Net;
using Moq;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Tests.Storage;

public sealed class BearerTokenTests
{
    [Fact]
    public async Task Identity_connection_sends_a_storage_scoped_bearer_token()
    {
        var credential = new Mock<Azure.Core.TokenCredential>();
        credential.Setup(c => c.GetTokenAsync(It.Is<Azure.Core.TokenRequestContext>(r => r.Scopes.Contains("https://storage.azure.com/.default")), It.IsAny<CancellationToken>()))
            .Returns(new ValueTask<Azure.Core.AccessToken>(new Azure.Core.AccessToken("token-123", DateTimeOffset.UtcNow.AddHours(1))));
        var connection = StorageConnection.WithTokenCredential(new Uri("https://a.blob.core.windows.net"),
            new Uri("https://a.queue.core.windows.net"), new Uri("https://a.table.core.windows.net"), credential.Object);
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.NoContent));

        await new TableClient(connection, "things", StubHandler.Options(handler)).DeleteEntityAsync("p", "r");

        var request = handler.Requests.Single().Request;
        Assert.Equal("Bearer token-123", request.Headers.Authorization?.ToString());
        Assert.Equal("2019-02-02", request.Headers.GetValues("x-ms-version").Single());
    }
}
