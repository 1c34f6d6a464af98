using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>Issue 11 §9: HEAD on every GET endpoint answers as the GET would (status, headers), without a body.</summary>
[Collection(AppCollection.Name)]
public sealed class HeadRequestTests(TrackelioApp app)
{
    [Fact]
    public async Task Head_on_widget_config_is_200_with_etag_and_304_when_unchanged()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1/widget/config?key={workspace.ProjectKey}"));
        var conditional = new HttpRequestMessage(HttpMethod.Head, $"/v1/widget/config?key={workspace.ProjectKey}");
        conditional.Headers.IfNoneMatch.Add(head.ETag());
        var notModified = await client.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Head_on_management_lists_is_200_and_unauthenticated_head_is_401()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var head = await app.CreateManagementClient(workspace.AdminKey).SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/feedback"));
        var anonymous = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/feedback"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public void Every_get_function_accepts_head()
    {
        var methods = FunctionsMetadata.HttpFunctions().Select(f => f.Methods).Where(m => m.Contains("get")).ToList();

        Assert.NotEmpty(methods);
        Assert.All(methods, m => Assert.Contains("head", m));
    }
}
