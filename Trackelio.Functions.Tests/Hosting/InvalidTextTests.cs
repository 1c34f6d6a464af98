using System.Net;
using System.Text;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// Text JSON can carry but a string cannot hold (a lone surrogate escape, raw bytes that are
/// not UTF-8) is a 400 naming the field on every write endpoint, metadata included, never a 500.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class InvalidTextTests(TrackelioApp app)
{
    /// <summary>Each write endpoint with a body whose <c>{field}</c> value gets the bad text, and the path the 400 names.</summary>
    public static TheoryData<string, string, string, string> WriteEndpoints => new()
    {
        { "POST", "/v1/feedback", """{"body":{bad}}""", "body" },
        { "POST", "/v1/feedback", """{"body":"ok","metadata":{"plan":{"tier":{bad}}}}""", "metadata.plan.tier" },
        { "PATCH", "/v1/feedback/{feedback}", """{"note":{bad}}""", "note" },
        { "POST", "/v1/users", """{"email":"a@example.com","role":"member","name":{bad}}""", "name" },
        { "POST", "/v1/widgets", """{"name":{bad},"allowed_origins":["https://a.example"]}""", "name" },
        { "PATCH", "/v1/widgets/{widget}", """{"texts":{"en":{"title":{bad}}}}""", "texts.en.title" },
        { "POST", "/v1/widgets/{widget}/pause", """{"reason":{bad}}""", "reason" },
        { "POST", "/v1/widgets/{widget}/resume", """{"notify":false,"why":{bad}}""", "why" },
        { "POST", "/v1/api-keys", """{"name":{bad}}""", "name" },
        { "POST", "/v1/webhooks", """{"url":"https://hooks.example/x","events":["feedback.created"],"description":{bad}}""", "description" },
        { "POST", "/v1/surveys", """{"name":{bad}}""", "name" },
        { "POST", "/v1/announcements", """{"title":{"en":{bad}}}""", "title.en" },
        { "PATCH", "/v1/conversations/{conversation}", """{"status":{bad}}""", "status" },
        { "POST", "/v1/conversations/{conversation}/messages", """{"body":"hi","client_message_id":{bad}}""", "client_message_id" },
        { "POST", "/v1/privacy/erase", """{"email":{bad}}""", "email" },
        { "POST", "/v1/widget/submit", """{"description":{bad},"item_type":"bug"}""", "description" },
        { "POST", "/v1/widget/submit", """{"description":"ok","item_type":"bug","client_id":{bad}}""", "client_id" },
        { "POST", "/v1/widget/submit", """{"description":"ok","item_type":"bug","metadata":{"a":[1,{bad}]}}""", "metadata.a[1]" },
        { "POST", "/v1/widget/submit", """{"description":"ok","item_type":"bug","console_logs":[{"message":{bad}}]}""", "console_logs[0].message" },
        { "POST", "/v1/widget/nps", """{"score":9,"comment":{bad}}""", "comment" },
        { "POST", "/v1/widget/csat", """{"rating":4,"comment":{bad}}""", "comment" },
        { "POST", "/v1/widget/survey/respond", """{"survey_id":{bad},"answers":[]}""", "survey_id" },
        { "POST", "/v1/widget/messenger/start", """{"message":{bad}}""", "message" },
        { "POST", "/v1/widget/messenger/message", """{"conversation_id":"{conversation}","body":"hi","client_message_id":{bad}}""", "client_message_id" },
        { "POST", "/v1/widget/messenger/end", """{"conversation_id":{bad}}""", "conversation_id" },
    };

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task Text_that_is_not_unicode_is_a_400_naming_the_field(string method, string path, string template, string field)
    {
        var (client, url, conversation) = await ArrangeAsync(path);

        // The escape \ud800 (a lone surrogate) and the raw byte 0xFF inside a string.
        var escaped = Encoding.UTF8.GetBytes(template.Replace("{conversation}", conversation, StringComparison.Ordinal).Replace("{bad}", "\"x\\ud800\"", StringComparison.Ordinal));
        var raw = Bytes(template.Replace("{conversation}", conversation, StringComparison.Ordinal));
        foreach (var body in new[] { escaped, raw })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Confirm", "true");

            var response = await client.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode} {text}");
            var error = JsonDocument.Parse(text).RootElement.GetProperty("meta").GetProperty("error");
            Assert.Equal("validation_failed", error.GetProperty("code").GetString());
            Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.GetProperty("field").GetString() == field && d.GetProperty("issue").GetString() == JsonText.Issue);
        }
    }

    [Fact]
    public void A_property_name_that_is_not_unicode_is_named_by_its_parent()
    {
        using var document = JsonDocument.Parse("""{"metadata":{"\ud800":"x","ok":"\udfff"}}""");

        var errors = JsonText.FindInvalid(document.RootElement);

        Assert.Equal([new FieldError("metadata.(name)", JsonText.Issue), new FieldError("metadata.ok", JsonText.Issue)], errors);
    }

    [Fact]
    public void Valid_text_including_surrogate_pairs_passes()
    {
        using var document = JsonDocument.Parse("""{"a":"\ud83d\ude00 😀","b":["ü",{"c":"\u0000"}]}""");

        Assert.Empty(JsonText.FindInvalid(document.RootElement));
    }

    private static byte[] Bytes(string template)
    {
        var at = template.IndexOf("{bad}", StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), (byte)'"', (byte)'x', 0xFF, (byte)'"', .. Encoding.UTF8.GetBytes(template[(at + 5)..])];
    }

    private async Task<(HttpClient Client, string Url, string Conversation)> ArrangeAsync(string path)
    {
        var workspace = await app.CreateWorkspaceAsync("*");
        await app.UpdateWidgetAsync(workspace, w => w with
        {
            Config = w.Config with
            {
                Modules = w.Config.Modules with
                {
                    Nps = new NpsModule { Enabled = true },
                    Csat = new CsatModule { Enabled = true },
                    Messenger = new ModuleSwitch { Enabled = true },
                },
            },
        });
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var feedback = (await (await admin.PostAsync("/v1/feedback", Json.Body(new { body = "x" }))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var widgetClient = app.CreateClient();
        widgetClient.DefaultRequestHeaders.Add("X-Project-Key", workspace.ProjectKey);
        var start = await widgetClient.PostAsync("/v1/widget/messenger/start", Json.Body(new { }));
        var conversation = (await start.ReadJsonAsync()).GetProperty("data").GetProperty("conversation_id").GetString()!;
        var url = path.Replace("{feedback}", feedback, StringComparison.Ordinal)
            .Replace("{widget}", workspace.WidgetId, StringComparison.Ordinal)
            .Replace("{conversation}", conversation, StringComparison.Ordinal);
        return (path.StartsWith("/v1/widget/", StringComparison.Ordinal) ? widgetClient : admin, url, conversation);
    }
}
