using System.Globalization;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// The fuzzer's run in the suite: a few hundred seeded mutations of valid requests to both APIs;
/// none may get a 5xx. <c>scripts/fuzz.sh --seed N --count M</c> runs it longer or replays one
/// case (TRACKELIO_FUZZ_SEED / TRACKELIO_FUZZ_COUNT); a failure prints each case's seed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FuzzTests(TrackelioApp app, ITestOutputHelper output)
{
    private static long Setting(string name, long fallback) =>
        long.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    [Fact]
    public async Task Mutated_requests_never_get_a_5xx()
    {
        var firstSeed = Setting("TRACKELIO_FUZZ_SEED", 1);
        var count = Setting("TRACKELIO_FUZZ_COUNT", 400);
        var workspace = await app.CreateWorkspaceAsync("*");
        await app.UpdateWidgetAsync(workspace, w => w with
        {
            Config = w.Config with
            {
                Modules = w.Config.Modules with
                {
                    Nps = new NpsModule { Enabled = true, FrequencyDays = 0 },
                    Csat = new CsatModule { Enabled = true },
                    Messenger = new ModuleSwitch { Enabled = true },
                    Surveys = new ModuleSwitch { Enabled = true },
                    Announcements = new ModuleSwitch { Enabled = true },
                },
            },
        });
        var client = app.CreateClient();
        var templates = await TemplatesAsync(workspace, client);
        IReadOnlyList<(string, string)> Auth(string api) => api == "widget"
            ? [("X-Project-Key", workspace.ProjectKey), ("Origin", "https://shop.example")]
            : [("Authorization", "Bearer " + workspace.AdminKey)];

        var failures = new List<string>();
        for (var seed = firstSeed; seed < firstSeed + count; seed++)
        {
            var fuzz = RequestFuzzer.Make(seed, templates, Auth);
            using var response = await client.SendAsync(fuzz.ToMessage());
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} for {fuzz} — replay: scripts/fuzz.sh --seed {seed} --count 1");
            }
        }

        output.WriteLine($"{count} fuzzed requests from seed {firstSeed}");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    private static async Task<IReadOnlyList<FuzzTemplate>> TemplatesAsync(BootstrapResult workspace, HttpClient client)
    {
        var admin = new HttpRequestMessage(HttpMethod.Post, "/v1/feedback") { Content = Json.Body(new { body = "Fuzz seed" }) };
        admin.Headers.Authorization = new("Bearer", workspace.AdminKey);
        var feedbackId = (await (await client.SendAsync(admin)).ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString();
        var start = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start") { Content = Json.Body(new { message = "hi" }) };
        start.Headers.Add("X-Project-Key", workspace.ProjectKey);
        var conversationId = (await (await client.SendAsync(start)).ReadJsonAsync()).GetProperty("data").GetProperty("conversation_id").GetString();

        return
        [
            new("POST", "/v1/widget/submit", """{"title":"Broken","description":"Pay does nothing","item_type":"bug","submitter":{"name":"Ann","email":"ann@example.com","user_id":"u1"},"page":{"url":"https://shop.example/c","path":"/c","title":"C","referrer":"https://shop.example/"},"viewport":{"width":1280,"height":720},"browser":{"name":"Chrome","version":"120","platform":"Win32","user_agent":"Mozilla/5.0"},"session_token":"s1","element":{"selector":"#pay","text":"Pay","rect":{"x":1,"y":2,"width":3,"height":4}},"console_logs":[{"level":"error","message":"boom","timestamp":"2025-01-14T09:41:22Z"}],"network_logs":[{"method":"POST","url":"https://shop.example/api","status":500,"duration_ms":12.5,"request_headers":{"Authorization":"Bearer x"},"response_body":"{}"}],"metadata":{"plan":"pro","n":[1,2]},"client_id":"c1"}""", "widget"),
            new("POST", "/v1/widget/nps", """{"score":9,"comment":"Great","submitter":{"email":"a@example.com"},"page":{"url":"https://shop.example/"},"session_token":"s2"}""", "widget"),
            new("POST", "/v1/widget/csat", """{"rating":4,"comment":"ok","page":{"path":"/x"}}""", "widget"),
            new("POST", "/v1/widget/messenger/start", """{"message":"hello","submitter":{"name":"V"},"page":{"url":"https://shop.example/"}}""", "widget"),
            new("POST", "/v1/widget/messenger/message", $$"""{"conversation_id":"{{conversationId}}","body":"more","client_message_id":"m1"}""", "widget"),
            new("GET", $"/v1/widget/messenger/history?conversation_id={conversationId}&limit=5", null, "widget"),
            new("GET", "/v1/widget/config", null, "widget"),
            new("GET", "/v1/widget/announcements?path=/&lang=en", null, "widget"),
            new("GET", "/v1/widget/survey?path=/", null, "widget"),
            new("POST", "/v1/feedback", """{"body":"From the API","rating":4,"category":"bug","customer_email":"c@example.com","metadata":{"k":"v"},"title":"T"}""", "management"),
            new("PATCH", $"/v1/feedback/{feedbackId}", """{"status":"in_progress","note":"looking"}""", "management"),
            new("GET", "/v1/feedback?status=new,pending&sort=created_at:asc&limit=5", null, "management"),
            new("GET", $"/v1/feedback/{feedbackId}", null, "management"),
            new("PATCH", $"/v1/widgets/{workspace.WidgetId}", """{"theme":{"primary_color":"#123456","position":"bottom-left"},"languages":{"default":"en","available":["en","de"]},"is_active":true}""", "management"),
            new("POST", $"/v1/widgets/{workspace.WidgetId}/pause", """{"reason":"maintenance","resume_at":"2099-01-01T00:00:00Z"}""", "management"),
            new("POST", $"/v1/widgets/{workspace.WidgetId}/resume", """{"notify":false}""", "management"),
            new("POST", "/v1/users", """{"email":"new@example.com","role":"viewer"}""", "management"),
            new("POST", "/v1/webhooks", """{"url":"https://hooks.example/x","events":["feedback.created"]}""", "management"),
            new("POST", "/v1/surveys", """{"title":{"en":"S"},"questions":[{"id":"q1","type":"nps","title":{"en":"How likely?"},"required":true}]}""", "management"),
            new("POST", "/v1/announcements", """{"title":{"en":"New"},"body":{"en":"**Hi**"},"starts_at":"2025-01-01T00:00:00Z"}""", "management"),
            new("GET", "/v1/analytics/summary?period=30d&group_by=week", null, "management"),
            new("GET", "/v1/responses?kind=nps&limit=3", null, "management"),
            new("POST", $"/v1/conversations/{conversationId}/messages", """{"body":"team reply"}""", "management"),
        ];
    }
}
