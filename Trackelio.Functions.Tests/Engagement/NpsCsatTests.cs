using System.Net;
using System.Net.Http.Json;
using System.Text;
using Trackelio.Functions.Api;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Engagement;

[Collection(AppCollection.Name)]
public sealed class NpsCsatTests(TrackelioApp app)
{
    private async Task<BootstrapResult> WorkspaceAsync(int npsFrequencyDays = 90, int csatMax = 5)
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with
        {
            Config = w.Config with
            {
                Modules = w.Config.Modules with
                {
                    Nps = new NpsModule { Enabled = true, FrequencyDays = npsFrequencyDays },
                    Csat = new CsatModule { Enabled = true, ScaleMax = csatMax },
                },
            },
        });
        return workspace;
    }

    private Task<HttpResponseMessage> PostRawAsync(BootstrapResult workspace, string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);
        return app.CreateClient().SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(BootstrapResult workspace, string path, object body) =>
        PostRawAsync(workspace, path, System.Text.Json.JsonSerializer.Serialize(body, TrackelioJson.Options));

    [Theory]
    [InlineData(0, "detractor")]
    [InlineData(6, "detractor")]
    [InlineData(7, "passive")]
    [InlineData(8, "passive")]
    [InlineData(9, "promoter")]
    [InlineData(10, "promoter")]
    public async Task Nps_score_is_stored_with_its_category(int score, string category)
    {
        var workspace = await WorkspaceAsync();

        var response = await PostAsync(workspace, "/v1/widget/nps", new { score, comment = "fine", session_token = Guid.NewGuid().ToString() });

        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("rsp_", data.GetProperty("id").GetString());
        Assert.Equal(category, data.GetProperty("category").GetString());
        Assert.Equal($"/v1/responses/{data.GetProperty("id").GetString()}", response.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("{\"score\":7.5}")]
    [InlineData("{\"score\":\"7\"}")]
    [InlineData("{\"score\":-1}")]
    [InlineData("{\"score\":11}")]
    [InlineData("{\"score\":null}")]
    [InlineData("{}")]
    [InlineData("{\"score\":true}")]
    public async Task Anything_but_an_integer_from_0_to_10_is_400(string json)
    {
        var workspace = await WorkspaceAsync();

        var response = await PostRawAsync(workspace, "/v1/widget/nps", json);

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("score", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Long_comment_and_bad_email_are_both_reported()
    {
        var workspace = await WorkspaceAsync();

        var response = await PostAsync(workspace, "/v1/widget/nps", new { score = 5, comment = new string('c', 2001), submitter = new { email = "x" } });

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "comment", "submitter.email" }, error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Second_nps_from_the_same_user_in_the_period_is_409_with_next_eligible_at()
    {
        var workspace = await WorkspaceAsync();

        var first = await PostAsync(workspace, "/v1/widget/nps", new { score = 9, submitter = new { user_id = "u-1" } });
        var second = await PostAsync(workspace, "/v1/widget/nps", new { score = 3, submitter = new { user_id = "u-1" } });
        var otherUser = await PostAsync(workspace, "/v1/widget/nps", new { score = 3, submitter = new { user_id = "u-2" } });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var error = await second.AssertErrorAsync(409, "already_responded");
        Assert.InRange(error.GetProperty("next_eligible_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddDays(89), DateTimeOffset.UtcNow.AddDays(91));
        Assert.Equal(HttpStatusCode.Created, otherUser.StatusCode);
    }

    [Fact]
    public async Task Anonymous_visitors_are_limited_per_session()
    {
        var workspace = await WorkspaceAsync();

        var first = await PostAsync(workspace, "/v1/widget/nps", new { score = 9, session_token = "s-1" });
        var second = await PostAsync(workspace, "/v1/widget/nps", new { score = 9, session_token = "s-1" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertErrorAsync(409, "already_responded");
    }

    [Fact]
    public async Task Frequency_limit_can_be_turned_off()
    {
        var workspace = await WorkspaceAsync(npsFrequencyDays: 0);

        var first = await PostAsync(workspace, "/v1/widget/nps", new { score = 9, submitter = new { user_id = "u-1" } });
        var second = await PostAsync(workspace, "/v1/widget/nps", new { score = 8, submitter = new { user_id = "u-1" } });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task Disabled_module_is_403()
    {
        var workspace = await app.CreateWorkspaceAsync(); // NPS and CSAT are off by default

        var nps = await PostAsync(workspace, "/v1/widget/nps", new { score = 9 });
        var csat = await PostAsync(workspace, "/v1/widget/csat", new { rating = 4 });

        await nps.AssertErrorAsync(403, "module_disabled");
        await csat.AssertErrorAsync(403, "module_disabled");
    }

    [Theory]
    [InlineData(5, 1, true)]
    [InlineData(5, 5, true)]
    [InlineData(5, 0, false)]
    [InlineData(5, 6, false)]
    [InlineData(10, 10, true)]
    [InlineData(3, 4, false)]
    public async Task Csat_rating_must_be_on_the_widgets_scale(int scaleMax, int rating, bool accepted)
    {
        var workspace = await WorkspaceAsync(csatMax: scaleMax);

        var response = await PostAsync(workspace, "/v1/widget/csat", new { rating, comment = "ok" });

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        else
        {
            var error = await response.AssertErrorAsync(400, "validation_failed");
            Assert.Contains($"from 1 to {scaleMax}", error.GetProperty("details")[0].GetProperty("issue").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nps_response_shows_up_in_the_analytics_summary_and_the_responses_list()
    {
        var workspace = await WorkspaceAsync();
        await PostAsync(workspace, "/v1/widget/nps", new { score = 10, session_token = "a" });
        await PostAsync(workspace, "/v1/widget/nps", new { score = 2, session_token = "b" });
        await PostAsync(workspace, "/v1/widget/nps", new { score = 10, session_token = "c" });
        await PostAsync(workspace, "/v1/widget/csat", new { rating = 4 });
        var client = app.CreateManagementClient(workspace.AdminKey);

        var summary = (await (await client.GetAsync("/v1/analytics/summary?period=7d")).ReadJsonAsync()).GetProperty("data").GetProperty("totals");
        var list = (await (await client.GetAsync("/v1/responses?kind=nps")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(33.3, summary.GetProperty("nps_score").GetDouble());
        Assert.Equal(4.0, summary.GetProperty("csat_average").GetDouble());
        Assert.Equal(3, list.GetArrayLength());
    }

    [Fact]
    public async Task Widget_config_tells_the_widget_the_nps_frequency()
    {
        var workspace = await WorkspaceAsync(npsFrequencyDays: 30);

        var config = await app.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/widget/config?key={workspace.ProjectKey}");

        Assert.Equal(30, config.GetProperty("data").GetProperty("modules").GetProperty("nps").GetProperty("frequency_days").GetInt32());
    }
}
