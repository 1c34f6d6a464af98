using System.Net;
using System.Text.Json;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// <c>PATCH /v1/users/{id}</c>'s notification mails as the handler reads them (the nested <c>notifications</c> object the
/// OpenAPI document describes), set by an admin for a viewer, who cannot set their own.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UsersApiTests(TrackelioApp app)
{
    [Fact]
    public async Task An_admin_sets_a_viewers_notifications_through_the_nested_object_and_only_the_given_ones_change()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var admin = app.CreateManagementClient(workspace.AdminKey);
        var viewerKey = await app.CreateMemberKeyAsync(workspace, TeamRole.Viewer);
        var viewerId = (await DataAsync(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("role").GetString() == "viewer").GetProperty("id").GetString()!;

        var changed = await DataAsync(await admin.PatchAsync($"/v1/users/{viewerId}", Json.Body(new { notifications = new { new_feedback = "daily", assigned = false } })));
        var notifications = changed.GetProperty("notifications");
        Assert.Equal("daily", notifications.GetProperty("new_feedback").GetString());
        Assert.False(notifications.GetProperty("assigned").GetBoolean());
        Assert.True(notifications.GetProperty("widget_resumed").GetBoolean()); // not given, kept

        var again = await DataAsync(await admin.PatchAsync($"/v1/users/{viewerId}", Json.Body(new { notifications = new { widget_resumed = false } })));
        Assert.Equal("daily", again.GetProperty("notifications").GetProperty("new_feedback").GetString());
        Assert.False(again.GetProperty("notifications").GetProperty("assigned").GetBoolean());
        Assert.False(again.GetProperty("notifications").GetProperty("widget_resumed").GetBoolean());
        var renamed = await DataAsync(await admin.PatchAsync($"/v1/users/{viewerId}", Json.Body(new { name = "Vera Viewer" })));
        Assert.Equal("daily", renamed.GetProperty("notifications").GetProperty("new_feedback").GetString()); // a rename keeps them

        // The preferences are read only inside `notifications`; at the top level they change nothing.
        var flat = await admin.PatchAsync($"/v1/users/{viewerId}", Json.Body(new { new_feedback = "instant" }));
        Assert.Equal(HttpStatusCode.BadRequest, flat.StatusCode);
        var listed = (await DataAsync(await admin.GetAsync("/v1/users"))).EnumerateArray().Single(u => u.GetProperty("id").GetString() == viewerId);
        Assert.Equal("daily", listed.GetProperty("notifications").GetProperty("new_feedback").GetString());

        // The viewer cannot set their own (viewer keys make no writes).
        await (await app.CreateManagementClient(viewerKey).PatchAsync($"/v1/users/{viewerId}", Json.Body(new { notifications = new { new_feedback = "off" } })))
            .AssertErrorAsync(403, "insufficient_role");
    }

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return body.GetProperty("data");
    }
}
