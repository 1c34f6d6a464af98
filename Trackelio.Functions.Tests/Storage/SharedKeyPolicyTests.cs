using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Queues;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Tests.Storage;

public sealed class SharedKeyPolicyTests
{
    private const string Account = "acct";
    private static readonly string Key = Convert.ToBase64String(Encoding.UTF8.GetBytes("a test key that is long enough!!"));
    private static readonly StorageConnection Connection = StorageConnection.Parse(
        $"DefaultEndpointsProtocol=https;AccountName={Account};AccountKey={Key};EndpointSuffix=core.windows.net");

    private static string Sign(string stringToSign, string key) =>
        Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(stringToSign)));

    [Fact]
    public async Task Queue_request_is_signed_with_shared_key_over_the_documented_string()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.OK, "<QueueMessagesList />", "application/xml"));
        var queue = new QueueClient(Connection, "work", StubHandler.Options(handler));

        await queue.ReceiveMessagesAsync(5, TimeSpan.FromSeconds(30));

        var request = handler.Requests.Single().Request;
        var date = request.Headers.GetValues("x-ms-date").Single();
        var clientRequestId = request.Headers.GetValues("x-ms-client-request-id").Single();
        var expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            $"x-ms-client-request-id:{clientRequestId}\nx-ms-date:{date}\nx-ms-return-client-request-id:true\nx-ms-version:2021-12-02\n" +
            $"/{Account}/work/messages\nnumofmessages:5\nvisibilitytimeout:30";
        Assert.Equal($"SharedKey {Account}:{Sign(expected, Key)}", request.Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task Table_request_is_signed_with_shared_key_lite()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.NoContent));
        var table = new TableClient(Connection, "things", StubHandler.Options(handler));

        await table.DeleteEntityAsync("p", "r");

        var request = handler.Requests.Single().Request;
        var date = request.Headers.GetValues("x-ms-date").Single();
        var expected = $"{date}\n/{Account}/things(PartitionKey='p',RowKey='r')";
        Assert.Equal($"SharedKeyLite {Account}:{Sign(expected, Key)}", request.Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task Every_retry_is_signed_anew()
    {
        var calls = 0;
        var handler = new StubHandler(_ => ++calls == 1
            ? StubHandler.Respond(HttpStatusCode.ServiceUnavailable)
            : StubHandler.Respond(HttpStatusCode.NoContent));
        var table = new TableClient(Connection, "things", StubHandler.Options(handler));

        await table.DeleteEntityAsync("p", "r");

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.StartsWith("SharedKeyLite", r.Request.Headers.Authorization?.ToString()));
    }

    [Fact]
    public async Task Rotated_account_key_signs_the_next_request()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.NoContent));
        var table = new TableClient(Connection, "things", StubHandler.Options(handler));
        var newKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("another key, just as long as it!"));

        await table.DeleteEntityAsync("p", "r");
        Connection.AccountKey!.SetAccountKey(newKey);
        try
        {
            await table.DeleteEntityAsync("p", "r");
        }
        finally
        {
            Connection.AccountKey.SetAccountKey(Key);
        }

        var second = handler.Requests[1].Request;
        var expected = $"{second.Headers.GetValues("x-ms-date").Single()}\n/{Account}/things(PartitionKey='p',RowKey='r')";
        Assert.Equal($"SharedKeyLite {Account}:{Sign(expected, newKey)}", second.Headers.Authorization?.ToString());
    }

    [Fact]
    public async Task Error_status_throws_with_the_storage_error_code()
    {
        var handler = new StubHandler(_ => StubHandler.Respond(HttpStatusCode.Conflict,
            """{"odata.error":{"code":"EntityAlreadyExists","message":{"value":"exists"}}}""",
            headers: ("x-ms-error-code", "EntityAlreadyExists")));
        var table = new TableClient(Connection, "things", StubHandler.Options(handler));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }
}
