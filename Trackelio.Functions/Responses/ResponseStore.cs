using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Webhooks;
using Azure.Data.Tables;

namespace Trackelio.Functions.Responses;

/// <summary>Which responses a list shows, and in which order.</summary>
public sealed record ResponseQuery
{
    public IReadOnlyList<string> Kinds { get; init; } = [];
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? WidgetId { get; init; }
    public string? SurveyId { get; init; }
    public bool NewestFirst { get; init; } = true;

    /// <summary>Resume after this row key (keyset paging).</summary>
    public string? After { get; init; }

    public string ToFilter(string workspaceId) => TableQueries.And(
        TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"),
        TimeOrderedTable<ResponseRecord>.Range(Ids.Response, From, To, NewestFirst),
        After is null ? null : TableClient.CreateQueryFilter($"RowKey gt {After}"),
        Kinds.Count == 0 ? null : string.Join(" or ", Kinds.Select(k => TableClient.CreateQueryFilter($"Kind eq {k}"))),
        WidgetId is null ? null : TableClient.CreateQueryFilter($"WidgetId eq {WidgetId}"),
        SurveyId is null ? null : TableClient.CreateQueryFilter($"SurveyId eq {SurveyId}"))!;
}

/// <summary>One NPS or CSAT response as analytics counts it.</summary>
public sealed record ScoreRow(string Id, string Kind, int? Score, int? ScaleMax, DateTimeOffset CreatedAt);

public interface IResponseStore
{
    Task<bool> CreateAsync(ResponseRecord response, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores the response with <paramref name="created"/> in the same transaction (<see cref="EventOutbox"/>): the event
    /// exists exactly when the response does, and is published now or, should that fail, by its outbox flush.
    /// False (nothing changed) when a response with its id is stored already.
    /// </summary>
    Task<bool> CreateAsync(ResponseRecord response, DomainEvent created, CancellationToken cancellationToken = default);
    Task<ResponseRecord?> GetAsync(string workspaceId, string responseId, CancellationToken cancellationToken = default);
    Task<(IReadOnlyList<ResponseRecord> Responses, string? After)> ListAsync(string workspaceId, ResponseQuery query, int limit, CancellationToken cancellationToken = default);
    Task<string?> SkipAsync(string workspaceId, ResponseQuery query, int count, CancellationToken cancellationToken = default);
    Task<long> CountAsync(string workspaceId, ResponseQuery query, CancellationToken cancellationToken = default);
    IAsyncEnumerable<ResponseRecord> ScanAsync(string workspaceId, ResponseQuery query, CancellationToken cancellationToken = default);

    /// <summary>The NPS and CSAT responses whose id is in [<paramref name="from"/>, <paramref name="to"/>), oldest first, from their plain columns.</summary>
    IAsyncEnumerable<ScoreRow> ScanScoresAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    Task EraseAsync(string workspaceId, string responseId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Responses in table <c>responses</c>: partition = workspace, oldest-first and newest-first rows (see
/// <see cref="TimeOrderedTable{T}"/>), beside the per-day tallies of <see cref="ResponseDays"/>, whose
/// days a late create or an erase marks in its own transaction, and <c>outbox|…</c> rows of events not
/// yet published (queries read the response id ranges only).
/// </summary>
public sealed class TableResponseStore(StorageAccount account, ResponseDays days, EventOutbox outbox) : IResponseStore
{
    private readonly TimeOrderedTable<ResponseRecord> _table = new(
        new DocumentTable<ResponseRecord>(account.GetTableClient(StorageNames.Tables.Responses), TrackelioJson.Options),
        response => (response.WorkspaceId, response.Id),
        Columns);

    /// <summary>The plain columns stored beside a response's document, for queries to filter on.</summary>
    public static IReadOnlyDictionary<string, object?> Columns(ResponseRecord response) => new Dictionary<string, object?>
    {
        ["Kind"] = response.Kind,
        ["WidgetId"] = response.WidgetId,
        ["SurveyId"] = response.SurveyId,
        ["Score"] = response.Score,
        ["ScaleMax"] = response.ScaleMax,
        ["CreatedAt"] = response.CreatedAt,
    };

    private static readonly string[] ScoreColumns = ["RowKey", "Kind", "Score", "ScaleMax", "CreatedAt"];

    public async Task<bool> CreateAsync(ResponseRecord response, CancellationToken cancellationToken = default)
    {
        if (!days.IsLate(response.Id))
        {
            return await _table.CreateAsync(response, cancellationToken: cancellationToken);
        }
        try
        {
            // Its day has ended (a retry storing its first attempt's id, a write across midnight): mark the day, in the same transaction.
            return await _table.CreateAsync(response, [ResponseDays.Mark(response)], cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> CreateAsync(ResponseRecord response, DomainEvent created, CancellationToken cancellationToken = default)
    {
        var entry = await outbox.OpenAsync(StorageNames.Tables.Responses, response.WorkspaceId, cancellationToken);
        try
        {
            // A late response marks its day too (see CreateAsync above), in the same transaction.
            await _table.CreateAsync(response, [outbox.Record(entry, created), .. days.IsLate(response.Id) ? [ResponseDays.Mark(response)] : Array.Empty<TableTransactionAction>()],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false; // stored already, with its event
        }
        await outbox.PublishAsync(entry, created, cancellationToken);
        return true;
    }

    public async Task<ResponseRecord?> GetAsync(string workspaceId, string responseId, CancellationToken cancellationToken = default) =>
        (await _table.GetAsync(workspaceId, responseId, cancellationToken))?.Value;

    public Task<(IReadOnlyList<ResponseRecord> Responses, string? After)> ListAsync(string workspaceId, ResponseQuery query, int limit, CancellationToken cancellationToken = default) =>
        _table.ListAsync(query.ToFilter(workspaceId), limit, cancellationToken);

    public Task<string?> SkipAsync(string workspaceId, ResponseQuery query, int count, CancellationToken cancellationToken = default) =>
        _table.SkipAsync(query.ToFilter(workspaceId), count, cancellationToken);

    public Task<long> CountAsync(string workspaceId, ResponseQuery query, CancellationToken cancellationToken = default) =>
        _table.CountAsync(query.ToFilter(workspaceId), cancellationToken);

    public IAsyncEnumerable<ResponseRecord> ScanAsync(string workspaceId, ResponseQuery query, CancellationToken cancellationToken = default) =>
        _table.ScanAsync((query with { NewestFirst = false }).ToFilter(workspaceId), cancellationToken);

    public async IAsyncEnumerable<ScoreRow> ScanScoresAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = new ResponseQuery { Kinds = ["nps", "csat"], From = from, To = to, NewestFirst = false }.ToFilter(workspaceId);
        await foreach (var row in _table.Documents.Table.QueryAsync<TableEntity>(filter, 1000, ScoreColumns, cancellationToken))
        {
            var kind = row.GetString("Kind") ?? "";
            if (kind == "csat" && row.GetInt32("ScaleMax") is null)
            {
                // Written before the ScaleMax column: read the response itself.
                if (await GetAsync(workspaceId, row.RowKey, cancellationToken) is { } stored)
                {
                    yield return new ScoreRow(stored.Id, stored.Kind, stored.Score, stored.ScaleMax, stored.CreatedAt);
                }
                continue;
            }
            yield return new ScoreRow(row.RowKey, kind, row.GetInt32("Score"), row.GetInt32("ScaleMax"), row.GetDateTimeOffset("CreatedAt") ?? Ids.TimeOf(row.RowKey));
        }
    }

    /// <summary>Removes both rows of the response and marks its day (<see cref="ResponseDays"/>), in one transaction.</summary>
    public async Task EraseAsync(string workspaceId, string responseId, CancellationToken cancellationToken = default)
    {
        if (await GetAsync(workspaceId, responseId, cancellationToken) is not { } response)
        {
            await _table.EraseAsync(workspaceId, responseId, cancellationToken); // a newest-first row left alone, if any
            return;
        }
        var table = _table.Documents.Table;
        try
        {
            await table.SubmitTransactionExactlyAsync([
                new(TableTransactionActionType.Delete, new TableEntity(workspaceId, responseId)),
                new(TableTransactionActionType.Delete, new TableEntity(workspaceId, TimeOrderedTable<ResponseRecord>.DescRowKey(responseId))),
                ResponseDays.Mark(response),
            ], cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // A row was gone already (another erasure, or half of an older one): the rest one by one, the mark after them.
            await _table.EraseAsync(workspaceId, responseId, cancellationToken);
            await table.UpsertEntityAsync(ResponseDays.Mark(response).Entity, TableUpdateMode.Replace, cancellationToken);
        }
    }
}
