using System.Net;
using Trackelio.Functions.Announcements;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Engagement;

public sealed class AnnouncementTests(ManualClockApp app) : IClassFixture<ManualClockApp>
{
    private async Task<string> PublishAsync(HttpClient client, object definition)
    {
        var created = await client.PostAsync("/v1/announcements", Json.Body(definition));
        var body = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var id = body.GetProperty("data").GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/announcements/{id}/publish", null)).StatusCode);
        return id;
    }

    private async Task<List<System.Text.Json.JsonElement>> ListAsync(BootstrapResult workspace, string query = "") =>
        (await (await app.CreateClient().GetAsync($"/v1/widget/announcements?key={workspace.ProjectKey}{query}")).ReadJsonAsync())
            .GetProperty("data").EnumerateArray().ToList();

    [Fact]
    public async Task Live_announcements_are_listed_newest_first_in_the_visitors_language()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var now = app.Clock.GetUtcNow();
        var older = await PublishAsync(client, new { title = new { en = "Older" }, body = new { en = "First" }, starts_at = now.AddMinutes(-10) });
        var newer = await PublishAsync(client, new
        {
            title = new { en = "Summer sale", de = "Sommerschlussverkauf" },
            body = new { en = "**20%** off", de = "**20 %** Rabatt" },
            link_url = "https://shop.example/sale",
            link_label = new { en = "Shop now", de = "Jetzt kaufen" },
            style = "banner",
            starts_at = now.AddMinutes(-1),
        });
        var draft = await client.PostAsync("/v1/announcements", Json.Body(new { title = new { en = "Draft" }, body = new { en = "not yet" } }));

        var german = await ListAsync(workspace, "&lang=de");

        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        Assert.Equal([newer, older], german.Select(a => a.GetProperty("id").GetString()));
        Assert.Equal("Sommerschlussverkauf", german[0].GetProperty("title").GetString());
        Assert.Equal("<p><strong>20 %</strong> Rabatt</p>", german[0].GetProperty("body_html").GetString());
        Assert.Equal("Jetzt kaufen", german[0].GetProperty("link_label").GetString());
        Assert.Equal("en", german[1].GetProperty("language").GetString()); // no German text: the default
    }

    [Fact]
    public async Task Schedule_boundaries_are_exact()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var start = app.Clock.GetUtcNow().AddHours(1);
        var end = start.AddHours(1);
        await PublishAsync(client, new { title = new { en = "Maintenance" }, body = new { en = "Tonight" }, starts_at = start, ends_at = end });

        app.Clock.Set(start.AddMilliseconds(-1));
        var before = await ListAsync(workspace);
        app.Clock.Set(start);
        var atStart = await ListAsync(workspace);
        app.Clock.Set(end);
        var atEnd = await ListAsync(workspace);
        app.Clock.Set(DateTimeOffset.UtcNow);

        Assert.Empty(before);
        Assert.Single(atStart);
        Assert.Empty(atEnd);
    }

    [Fact]
    public async Task Targeting_and_unpublishing_decide_who_sees_it()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var id = await PublishAsync(client, new
        {
            title = new { en = "For pros" },
            body = new { en = "New API" },
            targeting = new { any = new object[] { new { attribute = "custom.plan", @operator = "equals", value = "pro" }, new { attribute = "email", @operator = "ends_with", value = "@staff.example" } } },
        });

        var pro = await ListAsync(workspace, "&custom.plan=pro");
        var staff = await ListAsync(workspace, "&email=ann@staff.example");
        var free = await ListAsync(workspace, "&custom.plan=free");
        await client.PostAsync($"/v1/announcements/{id}/unpublish", null);
        var afterUnpublish = await ListAsync(workspace, "&custom.plan=pro");

        Assert.Single(pro);
        Assert.Single(staff);
        Assert.Empty(free);
        Assert.Empty(afterUnpublish);
    }

    [Fact]
    public async Task Raw_html_is_refused_and_never_served()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/announcements", Json.Body(new
        {
            title = new { en = "Hi" },
            body = new { en = "<script>alert(1)</script>" },
        }));

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("body.en", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("a < b & c > d", "<p>a &lt; b &amp; c &gt; d</p>")]
    [InlineData("[site](https://shop.example/x)", "<p><a href=\"https://shop.example/x\" rel=\"noopener noreferrer\" target=\"_blank\">site</a></p>")]
    [InlineData("[bad](javascript:alert(1))", "<p>[bad](javascript:alert(1))</p>")]
    [InlineData("- one\n- *two*", "<ul><li>one</li><li><em>two</em></li></ul>")]
    [InlineData("line 1\nline 2\n\n`code`", "<p>line 1<br>line 2</p><p><code>code</code></p>")]
    [InlineData("\"><img src=x onerror=alert(1)>", "<p>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>")]
    public void Markdown_subset_renders_only_safe_html(string source, string html)
    {
        Assert.Equal(html, SafeMarkdown.ToHtml(source));
    }
}
