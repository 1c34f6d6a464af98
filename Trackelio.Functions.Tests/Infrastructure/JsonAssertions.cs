using System.Net.Http.Headers;
using System.Text.Json;

namespace Trackelio.Functions.Tests.Infrastructure;

internal static class JsonAssertions
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"Expected JSON, got {response.Content.Headers.ContentType}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the error envelope and its code; returns <c>meta.error</c>.</summary>
    public static async Task<JsonElement> AssertErrorAsync(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.ReadJsonAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        var meta = body.GetProperty("meta");
        Assert.StartsWith("req_", meta.GetProperty("request_id").GetString());
        Assert.Equal(meta.GetProperty("request_id").GetString(), response.Headers.GetValues("X-Request-Id").Single());
        var error = meta.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    public static HttpRequestMessage WithHeader(this HttpRequestMessage request, string name, string value)
    {
        request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    public static EntityTagHeaderValue ETag(this HttpResponseMessage response) =>
        response.Headers.ETag ?? throw new Xunit.Sdk.XunitException("The response has no ETag.");
}
