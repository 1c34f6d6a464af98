using Azure.Data.Tables;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>
/// An exception that escapes a function reaches the client as the 500 envelope. The worker alone
/// would answer an empty 200 (its ASP.NET Core integration completes the request either way; the
/// dev host's own tests show it with a bare worker), so this holds the app's error middleware to
/// it, through the host, with an exception caused from outside: a stored record no code can read.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class UnhandledExceptionTests(TrackelioApp app)
{
    [Fact]
    public async Task A_function_that_throws_answers_500_in_the_envelope_with_its_request_id()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateManagementClient(workspace.AdminKey);
        var created = await client.PostAsync("/v1/feedback", Json.Body(new { body = "about to be unreadable" }));
        var id = (await created.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;
        var feedback = app.Get<StorageAccount>().GetTableClient(StorageNames.Tables.Feedback);
        foreach (var rowKey in new[] { id, TimeOrderedTable<FeedbackRecord>.DescRowKey(id) })
        {
            var row = (await feedback.GetEntityAsync<TableEntity>(workspace.WorkspaceId, rowKey)).Value;
            row["Data"] = "{ this is not json"u8.ToArray();
            await feedback.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        }

        var response = await client.GetAsync($"/v1/feedback/{id}");

        await response.AssertErrorAsync(500, "internal_error");
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        Assert.Equal(requestId, (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("request_id").GetString());
        Assert.DoesNotContain("json", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        // The envelope is the app's answer: the invocation itself completed, nothing for the host to retry or report twice.
        var invocation = await app.Host.WaitForInvocationAsync(i => i.FunctionName == "GetFeedback" && i.Started > DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromSeconds(10));
        Assert.Equal(Trackelio.DevHost.InvocationStatus.Success, invocation.Status);
    }
}
