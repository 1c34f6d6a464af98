using System.Net;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

/// <summary>
/// Uploads carry the blob index tag the storage lifecycle rule filters on
/// (infra/app/storage.bicep: delete attachments/ blobs tagged attached=false after N days):
/// false from the upload, true once feedback or a messenger message refers to them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class AttachmentRetentionTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private async Task<string> UploadAsync(BootstrapResult workspace)
    {
        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
    }

    private async Task<string> AttachedTagAsync(BootstrapResult workspace, string attachmentId)
    {
        var tags = await app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments)
            .GetBlobClient($"{workspace.WorkspaceId}/{attachmentId}").GetTagsAsync();
        return tags.Value.Tags[BlobAttachmentStore.AttachedTag];
    }

    [Fact]
    public async Task An_upload_is_unattached_until_enriched_feedback_refers_to_it()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var other = await app.CreateWorkspaceAsync();
        var used = await UploadAsync(workspace);
        var unused = await UploadAsync(workspace);
        var foreign = await UploadAsync(other);

        Assert.Equal("false", await AttachedTagAsync(workspace, used));

        var submit = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new
        {
            description = "see the screenshot",
            item_type = "bug",
            attachment_ids = new[] { used, foreign },
        }));
        var id = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, id);

        Assert.Equal([used], record.Attachments.Select(a => a.Id));
        Assert.Equal("true", await AttachedTagAsync(workspace, used));
        Assert.Equal("false", await AttachedTagAsync(workspace, unused));
        // Named by another project's submission, it was not attached, so it stays removable.
        Assert.Equal("false", await AttachedTagAsync(other, foreign));
    }

    [Fact]
    public async Task Marking_an_upload_attached_leaves_its_last_modified_time_as_it_was()
    {
        // The lifecycle rule counts days from the last modification: "uploaded N days ago" only while a tag change leaves it alone.
        var workspace = await app.CreateWorkspaceAsync();
        var attachment = await UploadAsync(workspace);
        var blob = app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments).GetBlobClient($"{workspace.WorkspaceId}/{attachment}");
        var before = (await blob.GetPropertiesAsync()).Value;
        await Task.Delay(1100); // past the service's one-second resolution

        await app.Get<IAttachmentStore>().MarkAttachedAsync(workspace.WorkspaceId, attachment);

        var after = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal("true", await AttachedTagAsync(workspace, attachment));
        Assert.Equal(before.LastModified, after.LastModified);
        Assert.Equal(before.ETag, after.ETag);
    }

    [Fact]
    public async Task An_upload_sent_in_a_messenger_message_is_attached()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Modules = w.Config.Modules with { Messenger = new ModuleSwitch { Enabled = true } } } });
        var attachment = await UploadAsync(workspace);
        var start = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start") { Content = Json.Body(new { message = "Hello" }) };
        start.Headers.Add("X-Project-Key", workspace.ProjectKey);
        var started = (await (await _client.SendAsync(start)).ReadJsonAsync()).GetProperty("data");

        var send = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/message")
        {
            Content = Json.Body(new { conversation_id = started.GetProperty("conversation_id").GetString(), body = "see", attachment_ids = new[] { attachment } }),
        };
        send.Headers.Add("X-Project-Key", workspace.ProjectKey);
        send.Headers.Add("X-Visitor-Token", started.GetProperty("visitor_token").GetString());
        var response = await _client.SendAsync(send);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("true", await AttachedTagAsync(workspace, attachment));
    }
}
