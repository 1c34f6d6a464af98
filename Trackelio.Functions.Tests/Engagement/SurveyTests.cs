using System.Net;
using System.Text.Json;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Engagement;

public sealed class SurveyTests(ManualClockApp app) : IClassFixture<ManualClockApp>
{
    private static object Definition(object? targeting = null, DateTimeOffset? startsAt = null, DateTimeOffset? endsAt = null) => new
    {
        name = "Checkout survey",
        default_language = "en",
        starts_at = startsAt,
        ends_at = endsAt,
        targeting,
        display = new { position = "center", delay_seconds = 5, frequency = "once" },
        questions = new object[]
        {
            new { id = "reason", type = "single_choice", required = true, title = new { en = "Why are you here?", de = "Warum sind Sie hier?" },
                options = new[] { new { id = "buy", label = new { en = "To buy", de = "Zum Kaufen" } }, new { id = "browse", label = new { en = "Browsing", de = "Stöbern" } } } },
            new { id = "features", type = "multiple_choice", required = false, title = new { en = "What do you use?", de = "Was nutzen Sie?" },
                options = new[] { new { id = "search", label = new { en = "Search", de = "Suche" } }, new { id = "wishlist", label = new { en = "Wishlist", de = "Wunschliste" } } } },
            new { id = "why", type = "text", required = false, title = new { en = "Anything else?", de = "Sonst noch etwas?" } },
            new { id = "ease", type = "rating", required = true, min = 1, max = 5, title = new { en = "How easy was it?", de = "Wie einfach war es?" } },
            new { id = "recommend", type = "nps", required = false, title = new { en = "Would you recommend us?", de = "Würden Sie uns empfehlen?" } },
        },
    };

    private async Task<(BootstrapResult Workspace, string SurveyId)> LiveSurveyAsync(object definition)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var created = await client.PostAsync("/v1/surveys", Json.Body(definition));
        var body = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("data").GetProperty("id").GetString()!;
        var published = await client.PostAsync($"/v1/surveys/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        return (workspace, id);
    }

    private Task<HttpResponseMessage> GetSurveyAsync(BootstrapResult workspace, string query = "") =>
        app.CreateClient().GetAsync($"/v1/widget/survey?key={workspace.ProjectKey}{query}");

    private Task<HttpResponseMessage> RespondAsync(BootstrapResult workspace, object body) =>
        app.CreateClient().SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/widget/survey/respond")
        {
            Content = Json.Body(body),
            Headers = { { "X-Project-Key", workspace.ProjectKey } },
        });

    [Fact]
    public async Task No_live_survey_is_204_and_a_draft_is_not_live()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/surveys", Json.Body(Definition()));

        var response = await GetSurveyAsync(workspace);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Live_survey_is_served_with_questions_options_and_display()
    {
        var (workspace, id) = await LiveSurveyAsync(Definition());

        var data = (await (await GetSurveyAsync(workspace)).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(id, data.GetProperty("id").GetString());
        Assert.Equal("en", data.GetProperty("language").GetString());
        Assert.Equal(5, data.GetProperty("questions").GetArrayLength());
        var reason = data.GetProperty("questions")[0];
        Assert.Equal("single_choice", reason.GetProperty("type").GetString());
        Assert.True(reason.GetProperty("required").GetBoolean());
        Assert.Equal("To buy", reason.GetProperty("options")[0].GetProperty("label").GetString());
        Assert.Equal(10, data.GetProperty("questions")[4].GetProperty("max").GetInt32());
        Assert.Equal("center", data.GetProperty("display").GetProperty("position").GetString());
    }

    [Theory]
    [InlineData("de", "de", "Warum sind Sie hier?")]
    [InlineData("de-CH", "de", "Warum sind Sie hier?")]
    [InlineData("fr", "en", "Why are you here?")]
    [InlineData("", "en", "Why are you here?")]
    public async Task Texts_come_in_the_visitors_language_or_the_default(string lang, string served, string title)
    {
        var (workspace, _) = await LiveSurveyAsync(Definition());

        var data = (await (await GetSurveyAsync(workspace, $"&lang={lang}")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(served, data.GetProperty("language").GetString());
        Assert.Equal(title, data.GetProperty("questions")[0].GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("&path=/checkout/payment", true)]
    [InlineData("&url=https%3A%2F%2Fshop.example%2Fcheckout%2Fcart", true)]
    [InlineData("&path=/blog", false)]
    [InlineData("", false)]
    [InlineData("&path=/checkout/x&custom.plan=free", false)]
    public async Task Targeting_decides_who_gets_the_survey(string query, bool served)
    {
        var targeting = new { all = new object[]
        {
            new { attribute = "path", @operator = "starts_with", value = "/checkout" },
            new { attribute = "custom.plan", @operator = "not_equals", value = "free" },
        } };
        var (workspace, _) = await LiveSurveyAsync(Definition(targeting));

        var response = await GetSurveyAsync(workspace, query);

        Assert.Equal(served ? HttpStatusCode.OK : HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Schedule_boundaries_are_exact()
    {
        var start = app.Clock.GetUtcNow().AddHours(1);
        var end = start.AddHours(2);
        var (workspace, _) = await LiveSurveyAsync(Definition(startsAt: start, endsAt: end));

        app.Clock.Set(start.AddMilliseconds(-1));
        var before = await GetSurveyAsync(workspace);
        app.Clock.Set(start);
        var atStart = await GetSurveyAsync(workspace);
        app.Clock.Set(end.AddMilliseconds(-1));
        var lastMoment = await GetSurveyAsync(workspace);
        app.Clock.Set(end);
        var atEnd = await GetSurveyAsync(workspace);
        app.Clock.Set(DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.NoContent, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atStart.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lastMoment.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, atEnd.StatusCode);
    }

    [Fact]
    public async Task Valid_answers_of_every_type_are_stored_and_summarised()
    {
        var (workspace, id) = await LiveSurveyAsync(Definition());

        var response = await RespondAsync(workspace, new
        {
            survey_id = id,
            session_token = "s-1",
            answers = new object[]
            {
                new { question_id = "reason", value = "buy" },
                new { question_id = "features", value = new[] { "search", "wishlist" } },
                new { question_id = "why", value = "Faster checkout please" },
                new { question_id = "ease", value = 4 },
                new { question_id = "recommend", value = 10 },
            },
        });
        var results = (await (await app.CreateManagementClient(workspace.AdminKey).GetAsync($"/v1/surveys/{id}/results")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, results.GetProperty("responses").GetInt32());
        var questions = results.GetProperty("questions");
        Assert.Equal(1, questions[0].GetProperty("option_counts").GetProperty("buy").GetInt32());
        Assert.Equal(0, questions[0].GetProperty("option_counts").GetProperty("browse").GetInt32());
        Assert.Equal(1, questions[1].GetProperty("option_counts").GetProperty("wishlist").GetInt32());
        Assert.Equal("Faster checkout please", questions[2].GetProperty("latest_texts")[0].GetString());
        Assert.Equal(4.0, questions[3].GetProperty("average_rating").GetDouble());
        Assert.Equal(100.0, questions[4].GetProperty("nps_score").GetDouble());
    }

    [Fact]
    public async Task Every_problem_with_the_answers_gets_its_own_detail()
    {
        var (workspace, id) = await LiveSurveyAsync(Definition());

        var response = await RespondAsync(workspace, new
        {
            survey_id = id,
            answers = new object[]
            {
                new { question_id = "reason", value = "steal" },                 // option not offered
                new { question_id = "features", value = new[] { "search", "search" } }, // repeated option
                new { question_id = "why", value = 42 },                         // wrong type
                new { question_id = "recommend", value = 11 },                   // out of range
                new { question_id = "color", value = "blue" },                   // unknown question
            },
        });

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equivalent(new[] { "answers[0].value", "answers[1].value", "answers[2].value", "answers[3].value", "answers[4].question_id", "answers.ease" },
            error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Closed_survey_is_409_survey_closed_and_unknown_is_404()
    {
        var (workspace, id) = await LiveSurveyAsync(Definition());
        await app.CreateManagementClient(workspace.AdminKey).PostAsync($"/v1/surveys/{id}/close", null);
        var answers = new object[] { new { question_id = "reason", value = "buy" }, new { question_id = "ease", value = 3 } };

        var closed = await RespondAsync(workspace, new { survey_id = id, answers });
        var unknown = await RespondAsync(workspace, new { survey_id = "srv_01m7zbbpetv64rmncqpgf9j990", answers });

        await closed.AssertErrorAsync(409, "survey_closed");
        await unknown.AssertErrorAsync(404, "not_found");
    }

    [Fact]
    public async Task Live_survey_may_grow_but_not_break_its_answers()
    {
        var (workspace, id) = await LiveSurveyAsync(Definition());
        var client = app.CreateManagementClient(workspace.AdminKey);
        var current = (await (await client.GetAsync($"/v1/surveys/{id}")).ReadJsonAsync()).GetProperty("data").GetProperty("questions");
        var questions = JsonSerializer.Deserialize<List<JsonElement>>(current.GetRawText())!;

        var removed = await client.PatchAsync($"/v1/surveys/{id}", Json.Body(new { questions = questions.Skip(1) }));
        var added = await client.PatchAsync($"/v1/surveys/{id}", Json.Body(new
        {
            questions = questions.Cast<object>().Append(new { id = "extra", type = "text", required = false, title = new { en = "One more thing?" } }),
        }));

        var error = await removed.AssertErrorAsync(400, "validation_failed");
        Assert.Contains("reason", error.GetProperty("details")[0].GetProperty("issue").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    [Fact]
    public async Task Bad_definition_lists_its_problems()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/surveys", Json.Body(new
        {
            name = "",
            questions = new object[]
            {
                new { id = "q", type = "slider", title = new { en = "?" } },
                new { id = "q", type = "single_choice", title = new { de = "Nur Deutsch" }, options = new[] { new { id = "a", label = new { en = "A" } } } },
            },
        }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        var fields = error.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.Contains("name", fields);
        Assert.Contains("questions[0].type", fields);
        Assert.Contains("questions[1].id", fields);
        Assert.Contains("questions[1].title", fields);
        Assert.Contains("questions[1].options", fields);
    }
}
