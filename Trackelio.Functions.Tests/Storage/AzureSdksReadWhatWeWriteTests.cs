using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Trackelio.Functions.Attachments;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Storage;

/// <summary>
/// What the app writes, read back by someone else's code: the official Azure SDKs for JavaScript
/// (<c>@azure/data-tables</c>, <c>@azure/storage-blob</c>, <c>@azure/storage-queue</c>, from npm) read a feedback
/// entity with its typed columns, an upload with its content type, metadata and index tags, and a queued
/// submission decoded as the Functions host's queue trigger decodes it (base64).
/// </summary>
public sealed class AzureSdksReadWhatWeWriteTests(AzureSdksReadWhatWeWriteTests.QueuedApp app) : IClassFixture<AzureSdksReadWhatWeWriteTests.QueuedApp>
{
    /// <summary>Submissions stay on their queue (the enrichment function is disabled, as an app setting disables a function), on an Azurite of its own.</summary>
    public sealed class QueuedApp : TrackelioApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["AzureWebJobs:EnrichSubmission:Disabled"] = "true",
        };

        protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();
    }

    [Fact]
    public async Task Entities_blobs_and_queue_messages_read_back_with_the_javascript_sdks()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var widget = app.CreateClient();
        var upload = await widget.SendAsync(WidgetRequests.Upload(workspace.ProjectKey, WidgetRequests.Png, "image/png"));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var attachmentId = (await upload.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var submit = await widget.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback("read by node")));
        var submissionId = (await submit.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var created = await app.CreateManagementClient(workspace.AdminKey).PostAsync("/v1/feedback", Json.Body(new { body = "From the API", rating = 4 }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feedbackId = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;

        var read = await ReadWithNodeAsync(new
        {
            table = StorageNames.Tables.Feedback,
            partitionKey = workspace.WorkspaceId,
            rowKey = feedbackId,
            container = StorageNames.Containers.Attachments,
            blob = $"{workspace.WorkspaceId}/{attachmentId}",
            queue = StorageNames.Queues.Submissions,
        });

        var entity = read.GetProperty("entity");
        Assert.Equal(("string", "new"), Column(entity, "Status"));
        Assert.Equal(("boolean", "False"), Column(entity, "Deleted"));
        Assert.Equal(("number", "4"), Column(entity, "Rating"));
        Assert.Equal("Date", entity.GetProperty("CreatedAt").GetProperty("type").GetString());
        Assert.Equal("Binary", entity.GetProperty("Data").GetProperty("type").GetString());
        var document = JsonDocument.Parse(entity.GetProperty("Data").GetProperty("value").GetString()!).RootElement;
        Assert.Equal(feedbackId, document.GetProperty("id").GetString());
        Assert.Equal(DateTimeOffset.Parse(entity.GetProperty("CreatedAt").GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            document.GetProperty("created_at").GetDateTimeOffset());

        var blob = read.GetProperty("blob");
        Assert.Equal("image/png", blob.GetProperty("contentType").GetString());
        Assert.Equal(WidgetRequests.Png.Length, blob.GetProperty("contentLength").GetInt32());
        Assert.Equal(workspace.WidgetId, blob.GetProperty("metadata").GetProperty("widget").GetString());
        Assert.Equal("false", blob.GetProperty("tags").GetProperty(BlobAttachmentStore.AttachedTag).GetString());

        var message = Assert.Single(read.GetProperty("messages").EnumerateArray(),
            m => JsonDocument.Parse(m.GetString()!).RootElement.GetProperty("feedback_id").GetString() == submissionId);
        Assert.Equal("read by node", JsonDocument.Parse(message.GetString()!).RootElement.GetProperty("submission").GetProperty("description").GetString());
    }

    private static (string? Type, string Value) Column(JsonElement entity, string name)
    {
        var column = entity.GetProperty(name);
        return (column.GetProperty("type").GetString(), column.GetProperty("value").ToString());
    }

    private async Task<JsonElement> ReadWithNodeAsync(object spec)
    {
        var script = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions.Tests", "Storage", "read-with-azure-sdks.mjs");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot.Path };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(JsonSerializer.Serialize(spec));
        start.Environment["AZURE_STORAGE_CONNECTION_STRING"] = app.Azurite.ConnectionString;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is needed to read storage with the Azure SDKs for JavaScript: install Node.js 20 or newer (scripts/setup.sh needs it too).", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
            Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {await stderr} (run 'npm ci' for the @azure packages)");
            return JsonDocument.Parse(await stdout).RootElement;
        }
    }
}
