using System.Net;
using Azure;
using Azure.Data.Tables;
using Trackelio.Functions.Api;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// Issue 11 §5: a storage write whose first attempt applied but whose response was lost is
/// retried by the pipeline; its outcome must still be exact (success, once), never a false
/// conflict, a 500, or a second copy.
/// </summary>
public sealed class WriteOutcomeTests : IAsyncLifetime
{
    private StorageProxy _proxy = null!;
    private FaultyStorage _faults = null!;
    private StorageAccount _account = null!;
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _proxy = await StorageProxy.StartAsync(await AzuriteServer.GetAsync());
        _faults = _proxy.Faults;
        // The app's clients and retries, through the proxy (its faults reach them as a network's do).
        _account = _proxy.CreateAccount();
        _table = _account.GetTableClient("t" + Guid.NewGuid().ToString("N"));
        await _table.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task Insert_whose_response_was_lost_succeeds_once()
    {
        _faults.LoseNextResponse(r => FaultyStorage.IsTableInsert(r, _table.Name));

        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        var etag = await _table.AddEntityExactlyAsync(entity);

        Assert.Equal(1, _faults.Lost);
        var stored = (await _table.GetEntityAsync<TableEntity>("p", "r")).Value;
        Assert.Equal(1, stored.GetInt32("V"));
        Assert.Equal(stored.ETag, etag);
    }

    [Fact]
    public async Task Insert_of_taken_keys_is_still_a_conflict()
    {
        await _table.AddEntityExactlyAsync(new TableEntity("p", "taken") { ["V"] = 1 });
        _faults.LoseNextResponse(r => FaultyStorage.IsTableInsert(r, _table.Name));

        // The lost attempt was refused too (the keys were taken before it): a real conflict.
        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityExactlyAsync(new TableEntity("p", "taken") { ["V"] = 2 }));
        Assert.Equal(409, ex.Status);
        Assert.Equal(1, _faults.Lost);
        Assert.Equal(1, (await _table.GetEntityAsync<TableEntity>("p", "taken")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Conditional_update_whose_response_was_lost_succeeds()
    {
        var etag = await _table.AddEntityExactlyAsync(new TableEntity("p", "u") { ["V"] = 1 });
        _faults.LoseNextResponse(r => r.Method == HttpMethod.Put);

        var changed = new TableEntity("p", "u") { ["V"] = 2 };
        await _table.UpdateEntityExactlyAsync(changed, etag);

        Assert.Equal(1, _faults.Lost);
        Assert.Equal(2, (await _table.GetEntityAsync<TableEntity>("p", "u")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Stale_update_whose_response_was_lost_is_still_a_412()
    {
        var first = await _table.AddEntityExactlyAsync(new TableEntity("p", "s") { ["V"] = 1 });
        await _table.UpdateEntityExactlyAsync(new TableEntity("p", "s") { ["V"] = 2 }, first);
        _faults.LoseNextResponse(r => r.Method == HttpMethod.Put);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => _table.UpdateEntityExactlyAsync(new TableEntity("p", "s") { ["V"] = 3 }, first));

        Assert.Equal(412, ex.Status);
        Assert.Equal(1, _faults.Lost);
        Assert.Equal(2, (await _table.GetEntityAsync<TableEntity>("p", "s")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task Refusal_of_a_write_sent_once_reads_nothing_back()
    {
        await _table.AddEntityExactlyAsync(new TableEntity("p", "once"));
        var before = _account.Requests.Snapshot();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityExactlyAsync(new TableEntity("p", "once")));

        Assert.Equal(409, ex.Status);
        var after = _account.Requests.Snapshot();
        Assert.Equal(before.GetValueOrDefault("table:insert") + 1, after.GetValueOrDefault("table:insert"));
        Assert.Equal(before.GetValueOrDefault("table:get"), after.GetValueOrDefault("table:get"));
    }

    [Fact]
    public async Task Transaction_whose_response_was_lost_succeeds_once()
    {
        _faults.LoseNextResponse(FaultyStorage.IsBatch);

        await _table.SubmitTransactionExactlyAsync([
            new(TableTransactionActionType.Add, new TableEntity("p", "b1") { ["V"] = 1 }),
            new(TableTransactionActionType.Add, new TableEntity("p", "b2") { ["V"] = 2 }),
        ]);

        Assert.Equal(1, _faults.Lost);
        Assert.NotNull(await _table.GetEntityOrNullAsync("p", "b2"));
    }

    [Fact]
    public void A_change_that_lost_every_concurrency_retry_is_409_conflict()
    {
        var error = ErrorHandlingMiddleware.Classify(new RequestFailedException(412, "The update condition specified in the request was not satisfied."));

        Assert.Equal(409, error.StatusCode);
        Assert.Equal("conflict", error.Code);
    }

    [Fact]
    public void A_write_storage_did_not_answer_is_503_that_says_its_outcome_is_unknown()
    {
        var write = ErrorHandlingMiddleware.Classify(new RequestFailedException(503, "busy"), safeMethod: false);
        var read = ErrorHandlingMiddleware.Classify(new RequestFailedException(503, "busy"), safeMethod: true);

        Assert.Equal((503, 503), (write.StatusCode, read.StatusCode));
        Assert.Contains("Idempotency-Key", write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not accepted", write.Message, StringComparison.Ordinal);
    }
}

/// <summary>The same faults under the whole app: a visitor's first NPS answer is never refused as a second one.</summary>
public sealed class AppWriteOutcomeTests(AppWriteOutcomeTests.FaultyApp app) : IClassFixture<AppWriteOutcomeTests.FaultyApp>, IAsyncLifetime
{
    /// <summary>The app on the shared Azurite, behind a fault proxy of its own.</summary>
    public sealed class FaultyApp : ProxiedApp;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        app.Faults.LoseNextResponse(_ => false);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task First_nps_answer_whose_claim_response_was_lost_is_201_and_stored_once()
    {
        var workspace = await app.CreateWorkspaceAsync();
        await NpsOn.EnableAsync(app.Services, workspace);
        var client = app.CreateClient();
        await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        var lostBefore = app.Faults.Lost;
        app.Faults.LoseNextResponse(r => FaultyStorage.IsTableInsert(r, StorageNames.Tables.ResponseLimits));

        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/nps") { Content = Json.Body(new { score = 9, session_token = "s-" + Guid.NewGuid() }) };
        request.Headers.Add("X-Project-Key", workspace.ProjectKey);
        var response = await client.SendAsync(request);

        Assert.Equal(lostBefore + 1, app.Faults.Lost);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await app.Get<IResponseStore>().CountAsync(workspace.WorkspaceId, new ResponseQuery()));
    }

    [Fact]
    public async Task Submit_whose_idempotency_claim_response_was_lost_is_202_and_keeps_its_key()
    {
        var workspace = await app.CreateWorkspaceAsync();
        var client = app.CreateClient();
        await client.GetAsync($"/v1/widget/config?key={workspace.ProjectKey}");
        var lostBefore = app.Faults.Lost;
        app.Faults.LoseNextResponse(r => FaultyStorage.IsTableInsert(r, StorageNames.Tables.Idempotency));

        var first = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "lost"));
        var retry = await client.SendAsync(WidgetRequests.Submit(workspace.ProjectKey, WidgetRequests.MinimalFeedback(), idempotencyKey: "lost"));

        Assert.Equal(lostBefore + 1, app.Faults.Lost);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        Assert.Equal((await first.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString(),
            (await retry.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString());
    }
}
