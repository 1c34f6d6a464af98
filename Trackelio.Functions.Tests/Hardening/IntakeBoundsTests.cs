using System.Net;
using System.Text.Json;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §1 and §9: whatever submit acknowledges can be stored, because every part is
/// bounded at intake (a 4xx naming the field otherwise); captured-log fields the record keeps
/// as numbers and times are type-checked.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class IntakeBoundsTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private static string Emoji(int count) => string.Concat(Enumerable.Repeat("\U0001F600", count));

    private async Task<JsonElement> RejectedAsync(object body)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, body));
        return await response.AssertErrorAsync(400, "validation_failed");
    }

    private static string[] Fields(JsonElement error) =>
        error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()!).ToArray();

    [Fact]
    public async Task Metadata_over_its_bound_is_400_naming_metadata_not_a_lost_202()
    {
        var error = await RejectedAsync(new { description = "x", item_type = "bug", metadata = new { a = new string('a', 990 * 1024) } });

        Assert.Equal(["metadata"], Fields(error));
    }

    [Fact]
    public async Task Metadata_of_emoji_is_measured_as_stored()
    {
        // 3,000 emoji are 12 KB of UTF-8 in the body but 36 KB stored (escaped as \uXXXX pairs).
        var error = await RejectedAsync(new { description = "x", item_type = "bug", metadata = new { a = Emoji(3_000) } });

        Assert.Equal(["metadata"], Fields(error));
    }

    [Fact]
    public async Task Submission_with_every_field_at_its_limit_is_stored()
    {
        var workspace = await app.CreateWorkspaceAsync();
        string Max(int chars) => Emoji(chars / 2);
        var metadata = new Dictionary<string, string> { ["a"] = new string('m', FeedbackMetadata.MaxBytes - 16) };
        var response = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            title = Max(200),
            description = Max(20_000),
            item_type = "bug",
            submitter = new { name = Max(200), user_id = Max(256) },
            page = new { url = "https://shop.example/" + new string('p', 2000), path = "/" + Max(2046), title = Max(500), referrer = "https://shop.example/" + new string('r', 2000) },
            browser = new { name = Max(100), version = Max(100), platform = Max(100), user_agent = Max(1024) },
            session_token = Max(256),
            element = new { selector = Max(1000), text = Max(2000) },
            metadata,
            client_id = Max(254),
        }));
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToString());

        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, body.GetProperty("data").GetProperty("id").GetString()!);
        Assert.Equal(20_000, record.Body!.Length);
    }

    [Fact]
    public async Task Network_log_duration_that_is_not_finite_is_400_naming_it()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = WidgetRequests.Submit(workspace.ProjectKey, new { });
        request.Content = new StringContent("""{"description":"x","item_type":"bug","network_logs":[{"url":"https://a.example","duration_ms":1e400}]}""",
            System.Text.Encoding.UTF8, "application/json");

        var error = await (await _client.SendAsync(request)).AssertErrorAsync(400, "validation_failed");

        Assert.Equal(["network_logs[0].duration_ms"], Fields(error));
    }

    [Theory]
    [InlineData("[5]")]
    [InlineData("{}")]
    [InlineData("true")]
    public async Task Log_fields_of_the_wrong_type_are_400_naming_them(string value)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = WidgetRequests.Submit(workspace.ProjectKey, new { });
        request.Content = new StringContent(
            $$"""{"description":"x","item_type":"bug","console_logs":[{"message":"m","timestamp":{{value}}}],"network_logs":[{"url":"https://a.example","status":{{value}}}]}""",
            System.Text.Encoding.UTF8, "application/json");

        var error = await (await _client.SendAsync(request)).AssertErrorAsync(400, "validation_failed");

        Assert.Equal(["console_logs[0].timestamp", "network_logs[0].status"], Fields(error));
    }
}
