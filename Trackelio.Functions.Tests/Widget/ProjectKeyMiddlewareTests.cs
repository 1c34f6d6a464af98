using Microsoft.AspNetCore.Http;
using Trackelio.Functions.Widget;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

public sealed class ProjectKeyMiddlewareTests
{
    private static HttpRequest Request(string method, string query = "", string? header = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        if (header is not null)
        {
            context.Request.Headers[ProjectKeyMiddleware.HeaderName] = header;
        }
        return context.Request;
    }

    [Fact]
    public void Header_key_is_read_on_any_method()
    {
        Assert.Equal("pk_live_abc", ProjectKeyMiddleware.ReadKey(Request("POST", header: "pk_live_abc")));
    }

    [Fact]
    public void Query_key_is_read_on_get()
    {
        Assert.Equal("pk_live_abc", ProjectKeyMiddleware.ReadKey(Request("GET", "?key=pk_live_abc")));
    }

    [Fact]
    public void Query_key_is_ignored_on_writes()
    {
        Assert.Null(ProjectKeyMiddleware.ReadKey(Request("POST", "?key=pk_live_abc")));
    }

    [Fact]
    public void Generated_keys_look_like_project_keys()
    {
        Assert.True(ProjectKeyMiddleware.LooksLikeProjectKey(ProjectKeys.New()));
    }

    [Theory]
    [InlineData("sk_live_abc")]
    [InlineData("pk_live_has space")]
    [InlineData("pk_live_quote'")]
    [InlineData("pk_test_abc")]
    public void Malformed_keys_are_refused_before_storage(string key)
    {
        Assert.False(ProjectKeyMiddleware.LooksLikeProjectKey(key));
    }

    [Fact]
    public void Overlong_keys_are_refused_before_storage()
    {
        Assert.False(ProjectKeyMiddleware.LooksLikeProjectKey(ProjectKeys.Prefix + new string('a', 500)));
    }
}
