using System.IO.Compression;
using System.Net;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Widget.Script;

namespace Trackelio.Functions.Tests.Widget;

[Collection(AppCollection.Name)]
public sealed class WidgetScriptTests(TrackelioApp app)
{
    private static readonly byte[] Source = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "Trackelio.Functions", "Widget", "Script", "trackelio.js"));

    /// <summary>What the build made of it (esbuild, minified) and embedded in the app's assembly.</summary>
    private static readonly byte[] Built = ReadBuilt();

    [Fact]
    public async Task The_script_is_served_as_built_with_its_type_a_long_cache_and_a_strong_etag()
    {
        var response = await app.CreateClient().GetAsync(WidgetScriptEndpoint.Route);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Built, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(TimeSpan.FromDays(1), response.Headers.CacheControl?.MaxAge);
        Assert.True(response.Headers.CacheControl?.Public);
        Assert.False(response.ETag().IsWeak);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task A_matching_if_none_match_is_304_without_a_body()
    {
        var client = app.CreateClient();
        var first = await client.GetAsync(WidgetScriptEndpoint.Route);

        var again = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, WidgetScriptEndpoint.Route).WithHeader("If-None-Match", first.ETag().ToString()));
        var stale = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, WidgetScriptEndpoint.Route).WithHeader("If-None-Match", "\"something-older\""));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.ETag(), again.ETag());
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task Gzip_is_served_to_clients_that_accept_it_and_decompresses_to_the_script()
    {
        var response = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Get, WidgetScriptEndpoint.Route).WithHeader("Accept-Encoding", "gzip, br"));
        var compressed = await response.Content.ReadAsByteArrayAsync();
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        Assert.Equal(Built, plain.ToArray());
    }

    [Fact]
    public async Task Any_page_may_load_it_without_a_project_key_and_head_answers_the_headers()
    {
        var client = app.CreateClient();
        var fromAPage = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, WidgetScriptEndpoint.Route).WithHeader("Origin", "https://shop.example"));
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, WidgetScriptEndpoint.Route));

        Assert.Equal(HttpStatusCode.OK, fromAPage.StatusCode);
        Assert.Equal("*", fromAPage.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotNull(head.Headers.ETag);
    }

    /// <summary>What docs/api.md states; a budget so the script stays small (raised on purpose only).</summary>
    [Fact]
    public void The_script_stays_small()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(Built);
        }

        Assert.True(Built.Length < 56 * 1024, $"trackelio.js is served as {Built.Length} bytes");
        Assert.True(compressed.Length < 20 * 1024, $"trackelio.js is served as {compressed.Length} bytes gzipped");
    }

    [Fact]
    public void What_is_served_is_the_source_minified_with_its_first_comment_kept()
    {
        var header = System.Text.Encoding.UTF8.GetString(Source).Split('\n')[0];
        var served = System.Text.Encoding.UTF8.GetString(Built);

        Assert.StartsWith("/*! Trackelio widget v1", header);
        Assert.StartsWith(header[..header.IndexOf("<script", StringComparison.Ordinal)], served);
        Assert.True(Built.Length < Source.Length * 3 / 4, $"the served script ({Built.Length} bytes) is not minified (the source is {Source.Length})");
        Assert.DoesNotContain("function targetingContext(", served, StringComparison.Ordinal); // local names shortened
        Assert.Contains("/v1/widget/config", served, StringComparison.Ordinal);
    }

    private static byte[] ReadBuilt()
    {
        using var stream = typeof(WidgetScriptEndpoint).Assembly.GetManifestResourceStream("widget.trackelio.js")
            ?? throw new InvalidOperationException("the widget script is not embedded in the app's assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
