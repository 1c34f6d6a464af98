using System.Net;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Management;

[Collection(AppCollection.Name)]
public sealed class PrivacyTests(TrackelioApp app)
{
    private async Task<(string Id, string AttachmentId)> SubmitAsync(Trackelio.Functions.Workspaces.BootstrapResult workspace, string userId, string email)
    {
        var widget = app.CreateClient();
        var upload = await widget.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"));
        var attachmentId = (await upload.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var submit = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            description = "from " + userId,
            item_type = "bug",
            submitter = new { user_id = userId, email },
            attachment_ids = new[] { attachmentId },
            console_logs = new[] { new { message = "log of " + userId } },
        }));
        var id = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);
        return (id, attachmentId);
    }

    [Fact]
    public async Task Export_returns_the_end_users_feedback_with_logs_and_nobody_elses()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (mine, _) = await SubmitAsync(workspace, "u-1", "ann@example.com");
        await SubmitAsync(workspace, "u-2", "bob@example.com");

        var response = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/privacy/export?email=ANN@example.com");

        var data = (await response.ReadJsonAsync()).GetProperty("data");
        var entry = Assert.Single(data.GetProperty("feedback").EnumerateArray());
        Assert.Equal(mine, entry.GetProperty("feedback").GetProperty("id").GetString());
        Assert.Equal("log of u-1", entry.GetProperty("logs").GetProperty("console_logs")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task Erase_removes_records_logs_and_attachments_for_good()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var (mine, attachment) = await SubmitAsync(workspace, "u-9", "erin@example.com");
        var (theirs, _) = await SubmitAsync(workspace, "u-10", "finn@example.com");
        var client = app.CreateManagementClient(workspace.AdminKey);

        var unconfirmed = await client.PostAsync("/v1/privacy/erase", Json.Body(new { user_id = "u-9" }));
        var erase = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/privacy/erase")
        {
            Content = Json.Body(new { user_id = "u-9" }),
            Headers = { { "X-Confirm", "true" } },
        });

        await unconfirmed.AssertErrorAsync(400, "confirmation_required");
        var result = (await erase.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(1, result.GetProperty("feedback_erased").GetInt32());
        Assert.Equal(1, result.GetProperty("attachments_erased").GetInt32());
        Assert.Null(await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, mine));
        Assert.Null(await app.Get<IFeedbackStore>().GetLogsAsync(workspace.WorkspaceId, mine));
        Assert.False((await app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments).GetBlobClient($"{workspace.WorkspaceId}/{attachment}").ExistsAsync()).Value);
        Assert.NotNull(await app.Get<IFeedbackStore>().GetAsync(workspace.WorkspaceId, theirs));
        var list = await (await client.GetAsync("/v1/feedback")).ReadJsonAsync();
        Assert.Equal([theirs], list.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_request_naming_nobody_is_400()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await app.CreateManagementClient(workspace.AdminKey).GetAsync("/v1/privacy/export");

        await response.AssertErrorAsync(400, "validation_failed");
    }
}
