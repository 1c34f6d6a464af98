using System.Text;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>Bad input gets a 4xx in the envelope, never a 5xx: odd bodies against every write endpoint.</summary>
[Collection(AppCollection.Name)]
public sealed class BadInputTests(TrackelioApp app)
{
    public static readonly string[] Bodies =
    [
        "null",
        "[]",
        "\"text\"",
        "{\"questions\":[{\"id\":\"a\",\"type\":\"text\",\"title\":{\"en\":\"x\"},\"options\":null}]}",
        "{\"questions\":null,\"targeting\":{\"all\":null,\"any\":[null]},\"display\":null}",
        "{\"title\":null,\"body\":{\"en\":null},\"style\":7}",
        "{\"theme\":5,\"modules\":{\"feedback\":{\"item_types\":[{\"id\":null}]}},\"limits\":\"big\"}",
        "{\"targeting\":{\"attribute\":\"path\",\"operator\":\"matches\",\"value\":" + "\"" + new string('*', 3000) + "\"}}",
        "{\"events\":[null],\"url\":123}",
        "{\"email\":[],\"role\":{}}",
        "{\"status\":[],\"assigned_to\":5,\"note\":{}}",
        "{\"body\":null,\"rating\":\"five\",\"metadata\":[]}",
        "{\"score\":1e400,\"rating\":-0.0,\"answers\":[{\"question_id\":null,\"value\":{}}],\"survey_id\":7}",
        "{\"conversation_id\":[],\"body\":null,\"attachment_ids\":\"att\"}",
        "{\"a\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}",
        "{\"user_id\":null,\"email\":null}",
        "{\"sign_in_token\":\"sgn_ws_\\u0000.usr_..\",\"invitation_token\":\"inv_\\u00ff..x\",\"description\":[]}",
        "{\"sign_in_token\":\"" + new string('a', 3000) + "\",\"invitation_token\":7}",
    ];

    public static TheoryData<string, string> WriteEndpoints => new()
    {
        { "POST", "/v1/feedback" },
        { "PATCH", "/v1/feedback/{feedback}" },
        { "POST", "/v1/users" },
        { "POST", "/v1/widgets" },
        { "PATCH", "/v1/widgets/{widget}" },
        { "POST", "/v1/widgets/{widget}/pause" },
        { "POST", "/v1/widgets/{widget}/resume" },
        { "POST", "/v1/api-keys" },
        { "POST", "/v1/webhooks" },
        { "PATCH", "/v1/webhooks/{webhook}" },
        { "POST", "/v1/auth/sign-in" },
        { "POST", "/v1/auth/sessions" },
        { "POST", "/v1/auth/sign-in-links/check" },
        { "POST", "/v1/invitations/accept" },
        { "POST", "/v1/invitations/check" },
        { "POST", "/v1/surveys" },
        { "POST", "/v1/announcements" },
        { "PATCH", "/v1/conversations/{conversation}" },
        { "POST", "/v1/conversations/{conversation}/messages" },
        { "POST", "/v1/privacy/erase" },
        { "POST", "/v1/widget/submit" },
        { "POST", "/v1/widget/nps" },
        { "POST", "/v1/widget/csat" },
        { "POST", "/v1/widget/survey/respond" },
        { "POST", "/v1/widget/messenger/start" },
        { "POST", "/v1/widget/messenger/message" },
        { "POST", "/v1/widget/messenger/end" },
    };

    [Theory]
    [MemberData(nameof(WriteEndpoints))]
    public async Task Odd_bodies_never_get_a_5xx(string method, string path)
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
        var feedback = (await (await admin.PostAsync("/v1/feedback", Json.Body(new { body = "x" }))).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var start = await app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start")
        {
            Content = Json.Body(new { }),
            Headers = { { "X-Project-Key", workspace.ProjectKey } },
        });
        var conversation = (await start.ReadJsonAsync()).GetProperty("data").GetProperty("conversation_id").GetString();
        var webhook = (await (await admin.PostAsync("/v1/webhooks", Json.Body(new { url = "https://hooks.example/odd", events = new[] { "*" } }))).ReadJsonAsync())
            .GetProperty("data").GetProperty("id").GetString();
        var url = path.Replace("{feedback}", feedback, StringComparison.Ordinal)
            .Replace("{webhook}", webhook, StringComparison.Ordinal)
            .Replace("{widget}", workspace.WidgetId, StringComparison.Ordinal)
            .Replace("{conversation}", conversation, StringComparison.Ordinal);

        foreach (var body in Bodies)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Confirm", "true");
            request.Headers.Add("X-Project-Key", workspace.ProjectKey);
            var client = path.StartsWith("/v1/widget/", StringComparison.Ordinal) ? app.CreateClient() : admin;

            var response = await client.SendAsync(request);

            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{method} {path} with {body[..Math.Min(body.Length, 80)]}: {(int)response.StatusCode} {text}");
            if ((int)response.StatusCode >= 400)
            {
                Assert.Contains("\"error\"", text, StringComparison.Ordinal);
            }
        }
    }
}
