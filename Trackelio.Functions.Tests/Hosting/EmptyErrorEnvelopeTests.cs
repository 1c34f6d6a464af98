using System.Net;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>Routing's own answers — no such route (404), a route without that method (405) — come in the error envelope too.</summary>
[Collection(AppCollection.Name)]
public sealed class EmptyErrorEnvelopeTests(TrackelioApp app)
{
    [Fact]
    public async Task An_unknown_route_and_an_unmapped_method_are_answered_in_the_envelope()
    {
        var client = app.CreateClient();

        var missing = await client.GetAsync("/v1/no-such-resource");
        var wrongMethod = await client.DeleteAsync("/v1/widget/config");
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/no-such-resource"));

        await missing.AssertErrorAsync(404, "not_found");
        await wrongMethod.AssertErrorAsync(405, "method_not_allowed");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.True(missing.Headers.Contains("X-Request-Id"));
    }
}
