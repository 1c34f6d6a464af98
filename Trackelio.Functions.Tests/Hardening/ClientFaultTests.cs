using System.Net;
using System.Net.Sockets;
using System.Text;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §4: failures the client causes are 4xx in the envelope, mapped in one place
/// (<see cref="ErrorHandlingMiddleware"/>), whichever endpoint they hit. Sent as raw bytes to the
/// dev host's front door, so that transport-level faults (chunk sizes, cut bodies) are what a real client causes.
/// </summary>
public sealed class ClientFaultTests(ClientFaultTests.FaultApp app) : IClassFixture<ClientFaultTests.FaultApp>, IAsyncLifetime
{
    /// <summary>The app under the dev host, its submissions left on the queue (nothing here needs them enriched).</summary>
    public sealed class FaultApp : TrackelioApp
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
        {
            ["AzureWebJobs:EnrichSubmission:Disabled"] = "true",
        };
    }

    private BootstrapResult _workspace = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _address = app.Host.BaseAddress;
        _workspace = await app.Get<WorkspaceBootstrap>().CreateAsync(new BootstrapRequest { WorkspaceName = "F", OwnerEmail = "o@f.example", AllowedOrigins = ["*"] });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Client() => new() { BaseAddress = _address };

    /// <summary>Sends raw bytes (whatever framing they have) and returns the status line's code and the rest.</summary>
    private async Task<(int Status, string Response)> RawAsync(string head, byte[] body, bool halfClose = false)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_address.Host, _address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal)));
        await stream.WriteAsync(body);
        if (halfClose)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public async Task Chunk_size_that_overflows_is_400()
    {
        var (status, response) = await RawAsync(
            $"POST /v1/widget/submit HTTP/1.1\nHost: x\nX-Project-Key: {_workspace.ProjectKey}\nContent-Type: application/json\nTransfer-Encoding: chunked\nConnection: close\n\n",
            Encoding.ASCII.GetBytes("FFFFFFFFFFFFFFFF\r\n{\"description\":\"x\",\"item_type\":\"bug\"}\r\n0\r\n\r\n"));

        Assert.True(status == 400, response);
    }

    [Fact]
    public async Task Multipart_without_its_closing_boundary_is_400_in_the_envelope()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
            + Encoding.Latin1.GetString(WidgetRequests.Png);
        var (status, response) = await RawAsync(
            $"POST /v1/widget/upload HTTP/1.1\nHost: x\nX-Project-Key: {_workspace.ProjectKey}\nContent-Type: multipart/form-data; boundary=b\nContent-Length: {Encoding.Latin1.GetByteCount(body)}\nConnection: close\n\n",
            Encoding.Latin1.GetBytes(body));

        Assert.True(status == 400, response);
        Assert.Contains("\"error\"", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multipart_cut_mid_file_is_400_and_stores_nothing()
    {
        var file = WidgetRequests.Recording(300_000);
        var body = Encoding.Latin1.GetBytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.webm\"\r\nContent-Type: video/webm\r\n\r\n")
            .Concat(file.Take(200_000)).ToArray();
        var blobs = app.Get<StorageAccount>().GetBlobContainerClient(StorageNames.Containers.Attachments);
        var before = await CountAsync(blobs);

        // The file part stops two thirds in, and the body ends there: no boundary closes it.
        var (status, response) = await RawAsync(
            $"POST /v1/widget/upload HTTP/1.1\nHost: x\nX-Project-Key: {_workspace.ProjectKey}\nContent-Type: multipart/form-data; boundary=b\nContent-Length: {body.Length}\nConnection: close\n\n",
            body);

        Assert.True(status == 400, response);
        Assert.Equal(before, await CountAsync(blobs));
    }

    private static async Task<int> CountAsync(Azure.Storage.Blobs.BlobContainerClient blobs)
    {
        var count = 0;
        await foreach (var _ in blobs.GetBlobsAsync())
        {
            count++;
        }
        return count;
    }

    [Fact]
    public async Task Merge_patch_with_a_duplicate_key_is_400()
    {
        using var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _workspace.AdminKey);
        var response = await client.PatchAsync($"/v1/widgets/{_workspace.WidgetId}",
            new StringContent("""{"theme":{"primary_color":"#111111","primary_color":"#222222"}}""", Encoding.UTF8, "application/json"));

        await response.AssertErrorAsync(400, "invalid_json");
    }

    [Fact]
    public async Task Status_filter_repeated_700_times_is_not_a_5xx()
    {
        using var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _workspace.AdminKey);
        var response = await client.GetAsync("/v1/feedback?status=" + string.Join(',', Enumerable.Repeat("new", 700)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(414)]
    [InlineData(431)]
    public void A_query_storage_refuses_for_its_size_is_400(int storageStatus)
    {
        Assert.Equal(400, ErrorHandlingMiddleware.Classify(new RequestFailedException(storageStatus, "too long")).StatusCode);
    }

    [Fact]
    public void A_body_cut_short_or_malformed_at_the_transport_is_400()
    {
        Assert.Equal(400, ErrorHandlingMiddleware.Classify(new IOException("Unexpected end of stream"), safeMethod: false, hasBody: true).StatusCode);
        Assert.Equal(400, ErrorHandlingMiddleware.Classify(new InvalidDataException("Line length limit exceeded"), safeMethod: false, hasBody: true).StatusCode);
    }
}
