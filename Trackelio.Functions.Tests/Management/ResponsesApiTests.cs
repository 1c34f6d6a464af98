using System.Net;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class ResponsesApiTests(TrackelioApp app)
{
    /// <summary>Responses as the widget's NPS/CSAT/survey endpoints store them, a minute apart.</summary>
    private async Task<List<ResponseRecord>> SeedAsync(BootstrapResult workspace, params (string Kind, int? Score, string? UserId)[] rows)
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var responses = rows.Select((row, i) => new ResponseRecord
        {
            Id = Ids.New(Ids.Response, start.AddMinutes(i)),
            WorkspaceId = workspace.WorkspaceId,
            WidgetId = workspace.WidgetId,
            Kind = row.Kind,
            Score = row.Score,
            Category = row.Kind == "nps" && row.Score is { } s ? ResponseRecord.NpsCategory(s) : null,
            ScaleMax = row.Kind == "csat" ? 5 : null,
            Submitter = row.UserId is null ? null : new Submitter { UserId = row.UserId },
            CreatedAt = start.AddMinutes(i),
        }).ToList();
        foreach (var response in responses)
        {
            await app.Get<IResponseStore>().CreateAsync(response);
        }
        return responses;
    }

    [Fact]
    public async Task Responses_list_newest_first_with_kind_filter_and_paging()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var seeded = await SeedAsync(workspace, ("nps", 10, null), ("csat", 4, null), ("nps", 3, null), ("survey", null, null), ("nps", 8, null));
        var client = app.CreateManagementClient(workspace.AdminKey);

        var all = await (await client.GetAsync("/v1/responses?limit=2")).ReadJsonAsync();
        var next = await (await client.GetAsync(all.GetProperty("links").GetProperty("next").GetString())).ReadJsonAsync();
        var nps = await (await client.GetAsync("/v1/responses?kind=nps&sort=created_at:asc")).ReadJsonAsync();
        var bad = await client.GetAsync("/v1/responses?kind=stars");

        Assert.Equal([seeded[4].Id, seeded[3].Id], all.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(5, all.GetProperty("meta").GetProperty("total").GetInt64());
        Assert.Equal([seeded[2].Id, seeded[1].Id], next.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["promoter", "detractor", "passive"], nps.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("category").GetString()));
        await bad.AssertErrorAsync(400, "validation_failed");
    }

    [Fact]
    public async Task Analytics_reports_nps_score_and_csat_average_from_responses()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await SeedAsync(workspace, ("nps", 10, null), ("nps", 9, null), ("nps", 7, null), ("nps", 2, null), ("csat", 5, null), ("csat", 2, null));

        var summary = (await (await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/analytics/summary?period=7d")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal(25.0, summary.GetProperty("totals").GetProperty("nps_score").GetDouble()); // (2 promoters − 1 detractor) / 4
        Assert.Equal(3.5, summary.GetProperty("totals").GetProperty("csat_average").GetDouble());
    }

    [Fact]
    public async Task Another_workspaces_responses_are_not_listed()
    {
        var mine = await app.CreateWorkspaceAsync();
        var theirs = await app.CreateWorkspaceAsync();
        await SeedAsync(theirs, ("nps", 10, null));

        var body = await (await app.CreateManagementClient(mine.AdminKey).GetAsync("/v1/responses")).ReadJsonAsync();

        Assert.Empty(body.GetProperty("data").EnumerateArray());
        Assert.Equal(0, body.GetProperty("meta").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Privacy_export_and_erase_cover_responses()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var seeded = await SeedAsync(workspace, ("nps", 10, "u-77"), ("csat", 3, "u-78"));
        var client = app.CreateManagementClient(workspace.AdminKey);

        var export = (await (await client.GetAsync("/v1/privacy/export?user_id=u-77")).ReadJsonAsync()).GetProperty("data");
        var erase = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/privacy/erase")
        {
            Content = Json.Body(new { user_id = "u-77" }),
            Headers = { { "X-Confirm", "true" } },
        });
        var remaining = (await (await client.GetAsync("/v1/responses")).ReadJsonAsync()).GetProperty("data");

        Assert.Equal([seeded[0].Id], export.GetProperty("responses").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(1, (await erase.ReadJsonAsync()).GetProperty("data").GetProperty("responses_erased").GetInt32());
        Assert.Equal([seeded[1].Id], remaining.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }
}
