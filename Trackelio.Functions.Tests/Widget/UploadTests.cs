using System.Net;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

[Collection(AppCollection.Name)]
public sealed class UploadTests(TrackelioApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    private async Task<List<string>> BlobsOfAsync(BootstrapResult workspace)
    {
        var names = new List<string>();
        await foreach (var blob in app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments)
            .GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = workspace.WorkspaceId + "/" }))
        {
            names.Add(blob.Name);
        }
        return names;
    }

    [Fact]
    public async Task Png_sent_as_text_plain_is_accepted_as_a_png_screenshot()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "text/plain"));

        var body = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = body.GetProperty("data");
        Assert.StartsWith("att_", data.GetProperty("id").GetString());
        Assert.Equal("screenshot", data.GetProperty("kind").GetString());
        Assert.Equal("image/png", data.GetProperty("content_type").GetString());
        Assert.Equal(WidgetRequests.Png.Length, data.GetProperty("size").GetInt64());
        Assert.NotNull(response.Headers.Location);
    }

    [Fact]
    public async Task Multipart_file_field_is_accepted()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Recording(300_000), "video/webm", multipart: true));

        var data = (await response.ReadJsonAsync()).GetProperty("data");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("recording", data.GetProperty("kind").GetString());
        Assert.Equal("video/webm", data.GetProperty("content_type").GetString());
        Assert.Equal(300_000, data.GetProperty("size").GetInt64());
    }

    [Fact]
    public async Task Executable_renamed_png_is_415_and_nothing_is_stored()
    {
        var workspace = await app.CreateWorkspaceAsync();
        byte[] exe = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xB8, 0];

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, exe, "image/png", multipart: true));

        await response.AssertErrorAsync(415, "unsupported_media_type");
        Assert.Empty(await BlobsOfAsync(workspace));
    }

    [Fact]
    public async Task Screenshot_over_the_widget_limit_is_413_with_no_blob_left_behind()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Limits = w.Config.Limits with { ScreenshotBytes = 5 * 1024 * 1024 } } });
        var tooBig = new byte[(5 * 1024 * 1024) + 1];
        WidgetRequests.Png.CopyTo(tooBig, 0);

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, tooBig, "image/png"));

        await response.AssertErrorAsync(413, "payload_too_large");
        Assert.Empty(await BlobsOfAsync(workspace));
    }

    [Fact]
    public async Task Recording_over_the_limit_is_413_even_when_streamed_in_many_blocks()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await app.UpdateWidgetAsync(workspace, w => w with { Config = w.Config with { Limits = w.Config.Limits with { RecordingBytes = 9 * 1024 * 1024 } } });

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Recording(10 * 1024 * 1024), "video/webm", multipart: true));

        await response.AssertErrorAsync(413, "payload_too_large");
        Assert.Empty(await BlobsOfAsync(workspace));
    }

    [Fact]
    public async Task Multipart_without_a_file_field_is_400()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/upload") { Content = new MultipartFormDataContent { { new StringContent("x"), "other" } } };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);

        var response = await _client.SendAsync(request);

        var error = await response.AssertErrorAsync(400, "validation_failed");
        Assert.Equal("file", error.GetProperty("details")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Empty_upload_is_400()
    {
        var workspace = await app.CreateWorkspaceAsync();

        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, [], "image/png"));

        await response.AssertErrorAsync(400, "empty_file");
    }

    [Fact]
    public async Task Another_projects_attachment_is_recorded_as_missing_not_attached()
    {
        var owner = await app.CreateWorkspaceAsync();
        var stranger = await app.CreateWorkspaceAsync();
        var upload = await _client.SendAsync(WidgetRequests.Upload(owner.ProjectKey, WidgetRequests.Png, "image/png"));
        var foreignId = (await upload.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var mine = await _client.SendAsync(WidgetRequests.Upload(stranger.ProjectKey, WidgetRequests.Png, "image/png"));
        var mineId = (await mine.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;

        var submit = await _client.SendAsync(WidgetRequests.Submit(stranger.ProjectKey, new
        {
            description = "see screenshots",
            item_type = "bug",
            attachment_ids = new[] { foreignId, mineId, Trackelio.Functions.Api.Ids.New("att") },
        }));
        var id = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var record = await app.WaitForFeedbackAsync(stranger.WorkspaceId, id);

        Assert.Equal([mineId], record.Attachments.Select(a => a.Id));
        Assert.Equal(2, record.MissingAttachments.Count);
        Assert.Contains(foreignId, record.MissingAttachments);
    }
}
