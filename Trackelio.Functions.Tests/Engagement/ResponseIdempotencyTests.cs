using System.Net;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Engagement;

/// <summary>
/// The widget sends one <c>Idempotency-Key</c> per user action and retries with it when an answer
/// is lost: CSAT ratings and survey answers then end as one stored response with one id.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ResponseIdempotencyTests(TrackelioApp app)
{
    private async Task<BootstrapResult> WorkspaceWithCsatAsync()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with
        {
            Config = w.Config with { Modules = w.Config.Modules with { Csat = new CsatModule { Enabled = true } } },
        });
        return workspace;
    }

    private Task<HttpResponseMessage> PostAsync(BootstrapResult workspace, string path, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json.Body(body) };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return app.CreateClient().SendAsync(request);
    }

    private async Task<string> IdOf(HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("data").GetProperty("id").GetString()!;
    }

    private Task<long> StoredResponses(BootstrapResult workspace) =>
        app.Get<IResponseStore>().CountAsync(workspace.WorkspaceId, new ResponseQuery());

    [Fact]
    public async Task A_csat_retried_with_its_key_is_one_response_with_one_id()
    {
        var workspace = await WorkspaceWithCsatAsync();

        var first = await IdOf(await PostAsync(workspace, "/v1/widget/csat", new { rating = 4, comment = "quick" }, "action-1"));
        var retry = await IdOf(await PostAsync(workspace, "/v1/widget/csat", new { rating = 4, comment = "quick" }, "action-1"));
        var other = await IdOf(await PostAsync(workspace, "/v1/widget/csat", new { rating = 2 }, "action-2"));
        var unkeyed = await IdOf(await PostAsync(workspace, "/v1/widget/csat", new { rating = 5 }, null));

        Assert.Equal(first, retry);
        Assert.NotEqual(first, other);
        Assert.NotEqual(other, unkeyed);
        Assert.Equal(3, await StoredResponses(workspace));
    }

    [Fact]
    public async Task Keys_are_per_endpoint_and_per_widget()
    {
        var workspace = await WorkspaceWithCsatAsync();
        var another = await WorkspaceWithCsatAsync();

        var submit = await PostAsync(workspace, "/v1/widget/submit", new { title = "t", item_type = "bug" }, "shared-key");
        var csat = await IdOf(await PostAsync(workspace, "/v1/widget/csat", new { rating = 3 }, "shared-key"));
        var elsewhere = await IdOf(await PostAsync(another, "/v1/widget/csat", new { rating = 3 }, "shared-key"));

        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        Assert.StartsWith("rsp_", csat);
        Assert.NotEqual(csat, elsewhere);
        Assert.Equal(1, await StoredResponses(another));
    }

    [Fact]
    public async Task A_survey_answer_retried_with_its_key_is_one_response()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var management = app.CreateManagementClient(workspace.AdminKey);
        var created = await management.PostAsync("/v1/surveys", Json.Body(new
        {
            name = "Quick",
            default_language = "en",
            questions = new object[] { new { id = "ease", type = "rating", required = true, min = 1, max = 5, title = new { en = "How easy?" } } },
        }));
        var surveyId = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await management.PostAsync($"/v1/surveys/{surveyId}/publish", null)).StatusCode);
        var answer = new { survey_id = surveyId, answers = new[] { new { question_id = "ease", value = 4 } } };

        var first = await IdOf(await PostAsync(workspace, "/v1/widget/survey/respond", answer, "answer-1"));
        var retry = await IdOf(await PostAsync(workspace, "/v1/widget/survey/respond", answer, "answer-1"));

        Assert.Equal(first, retry);
        Assert.Equal(1, await StoredResponses(workspace));
    }

    [Fact]
    public async Task An_overlong_key_is_a_400_naming_the_header_and_stores_nothing()
    {
        var workspace = await WorkspaceWithCsatAsync();

        var response = await PostAsync(workspace, "/v1/widget/csat", new { rating = 4 }, new string('k', 256));

        await response.AssertErrorAsync(400, "validation_failed");
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredResponses(workspace));
    }
}
