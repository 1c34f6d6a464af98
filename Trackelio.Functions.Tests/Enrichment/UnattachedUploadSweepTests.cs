using System.Net;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Api;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Enrichment;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Enrichment;

/// <summary>
/// Uploads nothing refers to are deleted N days after upload, found by their blob index tag; uploads from before
/// the tag existed are tagged by what refers to them first. On an Azurite of its own: a sweep sees every upload there.
/// </summary>
public sealed class UnattachedUploadSweepTests(UnattachedUploadSweepTests.SweepApp app) : IClassFixture<UnattachedUploadSweepTests.SweepApp>
{
    public sealed class SweepApp : TrackelioApp
    {
        public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["Trackelio:Testing:ClockFile"] = Clock.File,
        };
    }

    private readonly HttpClient _client = app.CreateClient();
    private BlobContainerClient Attachments => app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments);

    [Fact]
    public async Task Unattached_uploads_go_after_their_days_and_attached_ones_stay()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var workspace = await app.CreateWorkspaceAsync();
        var unused = await UploadAsync(workspace);
        var used = await UploadAsync(workspace);
        await SubmitReferringToAsync(workspace, used);

        await app.Get<UnattachedUploadSweep>().SweepOnceAsync(CancellationToken.None);
        Assert.True(await ExistsAsync(workspace, unused), "a fresh upload was deleted");

        app.Clock.Set(DateTimeOffset.UtcNow.AddDays(8));
        var result = await app.Get<UnattachedUploadSweep>().SweepOnceAsync(CancellationToken.None);

        Assert.True(result.Deleted >= 1);
        Assert.False(await ExistsAsync(workspace, unused));
        Assert.True(await ExistsAsync(workspace, used));
    }

    [Fact]
    public async Task Uploads_from_before_tagging_are_tagged_by_what_refers_to_them_then_age_out()
    {
        app.Clock.Set(DateTimeOffset.UtcNow);
        var workspace = await app.CreateWorkspaceAsync();
        var referenced = await UploadAsync(workspace);
        await SubmitReferringToAsync(workspace, referenced);
        // As uploaded before the tag existed: no tags at all.
        await Attachments.GetBlobClient($"{workspace.WorkspaceId}/{referenced}").SetTagsAsync(new Dictionary<string, string>());
        var orphan = Ids.New(Ids.Attachment);
        await Attachments.GetBlobClient($"{workspace.WorkspaceId}/{orphan}").UploadAsync(new BinaryData(WidgetRequests.Png));

        // A new instance (this one stopped looking once it found every upload tagged).
        var sweep = ActivatorUtilities.CreateInstance<UnattachedUploadSweep>(app.Services);
        app.Clock.Set(DateTimeOffset.UtcNow.AddDays(8));
        var result = await sweep.SweepOnceAsync(CancellationToken.None);

        Assert.True(result.Tagged >= 2, $"{result.Tagged} tagged");
        Assert.Equal("true", (await Attachments.GetBlobClient($"{workspace.WorkspaceId}/{referenced}").GetTagsAsync()).Value.Tags[BlobAttachmentStore.AttachedTag]);
        Assert.False(await ExistsAsync(workspace, orphan));
        Assert.Equal(0, (await sweep.SweepOnceAsync(CancellationToken.None)).Tagged);
    }

    private async Task<string> UploadAsync(BootstrapResult workspace)
    {
        var response = await _client.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
    }

    private async Task SubmitReferringToAsync(BootstrapResult workspace, string attachmentId)
    {
        var submit = await _client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, new { description = "see", item_type = "bug", attachment_ids = new[] { attachmentId } }));
        var record = await app.WaitForFeedbackAsync(workspace.WorkspaceId, (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!);
        Assert.Equal([attachmentId], record.Attachments.Select(a => a.Id));
    }

    private async Task<bool> ExistsAsync(BootstrapResult workspace, string attachmentId) =>
        (await Attachments.GetBlobClient($"{workspace.WorkspaceId}/{attachmentId}").ExistsAsync()).Value;
}
