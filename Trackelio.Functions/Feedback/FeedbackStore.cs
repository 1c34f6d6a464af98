using System.Text.Json;
using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Trackelio.Functions.Storage.Blobs;
using Trackelio.Functions.Storage.Tables;
using Trackelio.Functions.Mail;
using Trackelio.Functions.Webhooks;
using Azure.Data.Tables;

namespace Trackelio.Functions.Feedback;

public interface IFeedbackStore
{
    /// <summary>
    /// Stores a new record and counts it (<see cref="FeedbackCounters"/>) in the same transaction; false
    /// when one with its id exists already (nothing is changed then).
    /// </summary>
    Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="CreateAsync(FeedbackRecord, CancellationToken)"/>, and records <paramref name="created"/> in the
    /// same transaction (<see cref="EventOutbox"/>): the event exists exactly when the record does, and is
    /// published now or, should that fail, by its outbox flush.
    /// </summary>
    Task<bool> CreateAsync(FeedbackRecord record, DomainEvent created, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="CreateAsync(FeedbackRecord, DomainEvent, CancellationToken)"/>, with the mail the new record causes in the same outbox row.</summary>
    Task<bool> CreateAsync(FeedbackRecord record, DomainEvent created, MailIntent mail, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="CreateAsync(FeedbackRecord, CancellationToken)"/>, with the record's captured logs.</summary>
    Task<bool> CreateAsync(FeedbackRecord record, FeedbackLogs logs, CancellationToken cancellationToken = default);

    Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);

    /// <summary>The record unless it is soft-deleted (null for deleted records and unknown ids alike).</summary>
    Task<FeedbackRecord?> FindAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="change"/> to the record (again to a newer one when someone else
    /// changed it meanwhile). A soft-deleted record takes no changes: it is not found.
    /// </summary>
    Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="UpdateAsync(string, string, Func{FeedbackRecord, FeedbackRecord?}, CancellationToken)"/>, and records
    /// the event <paramref name="announce"/> makes of the changed record in the same transaction (<see cref="EventOutbox"/>).
    /// </summary>
    Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        Func<FeedbackRecord, DomainEvent> announce, CancellationToken cancellationToken = default);

    /// <summary>Like the update with one event, where the changed record may also cause mails (an assignment).</summary>
    Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        Func<FeedbackRecord, (IReadOnlyList<DomainEvent> Events, IReadOnlyList<MailIntent> Mails)> announce, CancellationToken cancellationToken = default);

    /// <summary>The record with its whole history (inline entries and history rows, in order).</summary>
    Task<FeedbackRecord> WithHistoryAsync(FeedbackRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// One page of records matching <paramref name="query"/> (from after <see cref="FeedbackQuery.After"/>),
    /// and the row key to resume after for the next page, or null when this is the last page.
    /// </summary>
    Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> ListAsync(string workspaceId, FeedbackQuery query, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>The row key of the <paramref name="count"/>-th match (reading keys only), to resume after; null when there are fewer.</summary>
    Task<string?> SkipAsync(string workspaceId, FeedbackQuery query, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// The page that starts after the first <paramref name="skip"/> matches (<c>?page=N</c> without a
    /// cursor), and the row key to resume after, as <see cref="ListAsync"/> gives it.
    /// </summary>
    Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> PageAtAsync(string workspaceId, FeedbackQuery query, int skip, int limit,
        CancellationToken cancellationToken = default);

    /// <summary>How many records match, counted from keys only.</summary>
    Task<long> CountAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every matching record (for analytics and exports), oldest first.</summary>
    IAsyncEnumerable<FeedbackRecord> ScanAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default);

    /// <summary>Removes the record (both rows) and its logs for good (privacy erasure, not the soft delete).</summary>
    Task EraseAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);

    Task SaveLogsAsync(string workspaceId, string feedbackId, FeedbackLogs logs, CancellationToken cancellationToken = default);
    Task<FeedbackLogs?> GetLogsAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default);
}

/// <summary>
/// Feedback in table <c>feedback</c>, partition = workspace, each record twice: row = its id
/// (oldest first) and row = <c>desc|</c> + its mirrored id (newest first), both with <c>Status</c>,
/// <c>WidgetId</c>, <c>ItemType</c>, <c>CreatedAt</c> and <c>Deleted</c> columns to filter on. The
/// two rows are written in one entity-group transaction, so they never disagree; the same
/// transaction counts the record (<see cref="TableCounterStore.Facts"/>) and holds its captured
/// logs when they are small (row <c>logs|{id}</c>, up to <see cref="InlineLogsLimit"/> bytes of
/// JSON). Larger logs go to blob <c>feedbackdata/{workspace}/{id}.json</c> first.
/// </summary>
public sealed class TableFeedbackStore(StorageAccount account, EventOutbox outbox, TimeProvider time) : IFeedbackStore
{
    public const string DescPrefix = TimeOrderedTable<FeedbackRecord>.DescPrefix;
    private readonly TimeOrderedTable<FeedbackRecord> _table = new(
        new DocumentTable<FeedbackRecord>(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options),
        record => (record.WorkspaceId, record.Id),
        Columns);

    private readonly BlobContainerClient _logs = account.GetBlobContainerClient(StorageNames.Containers.FeedbackData);
    private readonly DocumentTable<FeedbackLogs> _logRows = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
    private readonly DailyFigures _days = new(account, time);

    public static string LogsBlobName(string workspaceId, string feedbackId) => $"{workspaceId}/{feedbackId}.json";

    public static string DescRowKey(string feedbackId) => TimeOrderedTable<FeedbackRecord>.DescRowKey(feedbackId);

    /// <summary>
    /// Logs up to this size (serialized) are stored in a row beside the record, in its transaction: one
    /// storage request instead of two, and no blob to read back. A table entity holds up to 1 MiB and a
    /// transaction 4 MiB; 256 KiB keeps the record's transaction (two record rows of up to 1 MiB each,
    /// the logs row) well inside that, and covers the widget's default log limits.
    /// </summary>
    public const int InlineLogsLimit = 256 * 1024;

    private const string LogsPrefix = "logs|";
    private static readonly Dictionary<string, object?> NoColumns = [];

    public Task<bool> CreateAsync(FeedbackRecord record, CancellationToken cancellationToken = default) =>
        CreateCountedAsync(record, [], cancellationToken);

    public async Task<bool> CreateAsync(FeedbackRecord record, FeedbackLogs logs, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(logs, TrackelioJson.Options);
        if (json.Length > InlineLogsLimit)
        {
            // Logs first: once the record exists, its logs must too. Writing them again is harmless.
            await _logs.GetBlobClient(LogsBlobName(record.WorkspaceId, record.Id)).UploadAsync(new BinaryData(json), BlobUploads.Options("application/json"), cancellationToken);
            return await CreateCountedAsync(record with { Logs = record.Logs is { } summary ? summary with { Blob = LogsBlobName(record.WorkspaceId, record.Id) } : null },
                [], cancellationToken);
        }
        return await CreateCountedAsync(record with { Logs = record.Logs is { } inline ? inline with { Blob = null } : null },
            [new(TableTransactionActionType.Add, _logRows.ToEntity(record.WorkspaceId, LogsPrefix + record.Id, logs, NoColumns))], cancellationToken);
    }

    public Task<bool> CreateAsync(FeedbackRecord record, DomainEvent created, CancellationToken cancellationToken = default) =>
        CreateAsync(record, [created], [], cancellationToken);

    public Task<bool> CreateAsync(FeedbackRecord record, DomainEvent created, MailIntent mail, CancellationToken cancellationToken = default) =>
        CreateAsync(record, [created], [mail], cancellationToken);

    private async Task<bool> CreateAsync(FeedbackRecord record, IReadOnlyList<DomainEvent> events, IReadOnlyList<MailIntent> mails, CancellationToken cancellationToken)
    {
        var entry = await outbox.OpenAsync(StorageNames.Tables.Feedback, record.WorkspaceId, cancellationToken);
        if (!await CreateCountedAsync(record, [outbox.Record(entry, events, mails)], cancellationToken))
        {
            return false;
        }
        await outbox.PublishAsync(entry, events, mails, cancellationToken);
        return true;
    }

    private async Task<bool> CreateCountedAsync(FeedbackRecord record, IEnumerable<TableTransactionAction> with, CancellationToken cancellationToken)
    {
        try
        {
            return await _table.CreateAsync(record,
                [.. with, .. TableCounterStore.Facts(record.WorkspaceId, record.Id, FeedbackCounters.For(record.WidgetId, record.CreatedAt)),
                    .. DailyFigures.DirtyMark(record, time.GetUtcNow())],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false; // the record (and so its count and logs) exists already
        }
    }


    public async Task<FeedbackRecord?> FindAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default) =>
        await GetAsync(workspaceId, feedbackId, cancellationToken) is { Value.DeletedAt: null } stored ? stored.Value : null;

    public Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        CancellationToken cancellationToken = default) =>
        OptimisticUpdate.RunAsync(
            async ct => await GetAsync(workspaceId, feedbackId, ct) is { Value.DeletedAt: null } stored ? stored : null,
            change,
            (record, ifMatch, ct) => WriteAsync(record, ifMatch, [], ct),
            cancellationToken);

    public Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        Func<FeedbackRecord, DomainEvent> announce, CancellationToken cancellationToken = default) =>
        UpdateAsync(workspaceId, feedbackId, change, record => ([announce(record)], []), cancellationToken);

    public Task<UpdateOutcome<FeedbackRecord>> UpdateAsync(string workspaceId, string feedbackId, Func<FeedbackRecord, FeedbackRecord?> change,
        Func<FeedbackRecord, (IReadOnlyList<DomainEvent> Events, IReadOnlyList<MailIntent> Mails)> announce, CancellationToken cancellationToken = default) =>
        outbox.UpdateAsync(StorageNames.Tables.Feedback, workspaceId, announce, with => OptimisticUpdate.RunAsync(
            async ct => await GetAsync(workspaceId, feedbackId, ct) is { Value.DeletedAt: null } stored ? stored : null,
            change,
            async (record, ifMatch, ct) => await WriteAsync(record, ifMatch, await with(record, ct), ct),
            cancellationToken), cancellationToken);

    private readonly DocumentTable<FeedbackHistoryEntry> _history = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);

    /// <summary>
    /// Replaces the record while it is at <paramref name="ifMatch"/> (throws with 412 when it changed). Notes
    /// and audit entries appended since it was read become history rows, and the record's day is marked
    /// changed for analytics when that day has ended (<see cref="DailyFigures"/>), all in one transaction.
    /// </summary>
    private Task WriteAsync(FeedbackRecord record, ETag ifMatch, IEnumerable<TableTransactionAction> with, CancellationToken cancellationToken)
    {
        var (row, appended) = FeedbackHistory.Split(record);
        var at = record.UpdatedAt;
        var rows = appended.Select((entry, i) => new TableTransactionAction(TableTransactionActionType.Add,
            _history.ToEntity(record.WorkspaceId, FeedbackHistory.RowKey(record.Id, at, i), entry)));
        return _table.UpdateAsync(row, ifMatch, [.. rows, .. DailyFigures.DirtyMark(row, time.GetUtcNow()), .. with], cancellationToken);
    }

    public async Task<Stored<FeedbackRecord>?> GetAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default) =>
        await _table.GetAsync(workspaceId, feedbackId, cancellationToken) is { } stored
            ? stored with { Value = FeedbackHistory.AsRead(stored.Value) }
            : null;

    public async Task<FeedbackRecord> WithHistoryAsync(FeedbackRecord record, CancellationToken cancellationToken = default)
    {
        var rows = new List<FeedbackHistoryEntry>();
        await foreach (var row in _history.QueryAsync(FeedbackHistory.RangeFilter(record.WorkspaceId, record.Id), cancellationToken))
        {
            rows.Add(row.Value);
        }
        return FeedbackHistory.Merge(record, rows);
    }

    public Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> ListAsync(string workspaceId, FeedbackQuery query, int limit,
        CancellationToken cancellationToken = default) =>
        _table.ListAsync(query.ToFilter(workspaceId), limit, cancellationToken);

    /// <summary>
    /// Skips <paramref name="count"/> matches. A short skip reads the keys. A long one on the
    /// unfiltered list (<c>?page=200</c>) walks the per-day totals (<see cref="DailyFigures"/>: one
    /// stored row per closed day) to the day the position falls in and reads keys within that day
    /// only, so its cost follows the days, not the records before the page.
    /// </summary>
    public async Task<string?> SkipAsync(string workspaceId, FeedbackQuery query, int count, CancellationToken cancellationToken = default) =>
        (await LocateAsync(workspaceId, query, count, 0, cancellationToken)).After;

    public async Task<(IReadOnlyList<FeedbackRecord> Records, string? After)> PageAtAsync(string workspaceId, FeedbackQuery query, int skip, int limit,
        CancellationToken cancellationToken = default)
    {
        var (after, window) = await LocateAsync(workspaceId, query, skip, limit + 1, cancellationToken);
        // A walked position also bounds the page's read to the days that hold its rows (and the one
        // row that tells whether a next page exists), so the read costs its rows, not what lies beyond.
        return after is null ? ([], null) : await ListAsync(workspaceId, (window ?? query) with { After = after }, limit, cancellationToken);
    }

    /// <summary>
    /// The row key after the first <paramref name="count"/> matches, and — when found by walking the
    /// day totals — the query cut to the days from there that hold at least <paramref name="following"/>
    /// more matches, with a day to spare (null: read on without a bound).
    /// </summary>
    private async Task<(string? After, FeedbackQuery? Window)> LocateAsync(string workspaceId, FeedbackQuery query, int count, int following,
        CancellationToken cancellationToken)
    {
        if (count < JumpFrom || !query.IsUnfiltered || query.After is not null || query.IncludeDeleted)
        {
            return (await _table.SkipAsync(query.ToFilter(workspaceId), count, cancellationToken), null);
        }

        var firstDay = await FirstDayAsync(workspaceId, cancellationToken);
        if (firstDay is null)
        {
            return (null, null);
        }
        var totals = await _days.TotalsByDayAsync(workspaceId, firstDay.Value, cancellationToken);
        var days = (query.NewestFirst ? totals.OrderByDescending(d => d.Key) : totals.OrderBy(d => d.Key)).ToList();
        var skipped = 0;
        for (var i = 0; i < days.Count; i++)
        {
            var (day, total) = days[i];
            if (skipped + total < count)
            {
                skipped += total;
                continue;
            }
            var after = await _table.SkipAsync((query with { From = day, To = day.AddDays(1) }).ToFilter(workspaceId), count - skipped, cancellationToken);
            var ahead = skipped + total - count;
            var last = i;
            while (ahead < following && last + 1 < days.Count)
            {
                ahead += days[++last].Value;
            }
            if (last + 1 >= days.Count)
            {
                return (after, null); // the rest of the history: no bound needed
            }
            var edge = days[last + 1].Key; // one more day than the totals say is needed
            return (after, query.NewestFirst ? query with { From = edge } : query with { To = edge.AddDays(1) });
        }
        return (null, null);
    }

    /// <summary>The UTC day of the workspace's oldest record (remembered for a while: it only moves later, and an earlier bound is harmless).</summary>
    private async Task<DateTimeOffset?> FirstDayAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_firstDays.TryGetValue(workspaceId, out var known) && known.Until > now)
        {
            return known.Day;
        }
        var (oldest, _) = await _table.ListAsync(new FeedbackQuery { NewestFirst = false }.ToFilter(workspaceId), 1, cancellationToken);
        if (oldest.Count == 0)
        {
            return null;
        }
        var day = new DateTimeOffset(oldest[0].CreatedAt.UtcDateTime.Date, TimeSpan.Zero);
        if (_firstDays.Count > 10_000)
        {
            _firstDays.Clear();
        }
        _firstDays[workspaceId] = (day, now.AddMinutes(10));
        return day;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset Day, DateTimeOffset Until)> _firstDays = new(StringComparer.Ordinal);

    /// <summary>From how many skipped records a far page walks the per-day totals instead of reading keys (a few pages' worth).</summary>
    public const int JumpFrom = 200;

    public Task<long> CountAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default) =>
        _table.CountAsync(query.ToFilter(workspaceId), cancellationToken);

    public IAsyncEnumerable<FeedbackRecord> ScanAsync(string workspaceId, FeedbackQuery query, CancellationToken cancellationToken = default) =>
        _table.ScanAsync((query with { NewestFirst = false }).ToFilter(workspaceId), cancellationToken);

    public async Task EraseAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default)
    {
        await _logs.DeleteBlobIfExistsAsync(LogsBlobName(workspaceId, feedbackId), cancellationToken: cancellationToken);
        await _logRows.DeleteAsync(workspaceId, LogsPrefix + feedbackId, cancellationToken);
        var history = new List<string>();
        await foreach (var entity in _history.Table.QueryAsync<TableEntity>(FeedbackHistory.RangeFilter(workspaceId, feedbackId), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            history.Add(entity.RowKey);
        }
        foreach (var rowKey in history)
        {
            await _history.DeleteAsync(workspaceId, rowKey, cancellationToken);
        }
        var stored = await _table.GetAsync(workspaceId, feedbackId, cancellationToken);
        await _table.EraseAsync(workspaceId, feedbackId, cancellationToken);
        if (stored is not null && DailyFigures.DirtyMark(stored.Value, time.GetUtcNow()).ToList() is [{ } mark])
        {
            await _table.Documents.Table.UpsertEntityAsync(mark.Entity, TableUpdateMode.Replace, cancellationToken);
        }
    }

    public async Task SaveLogsAsync(string workspaceId, string feedbackId, FeedbackLogs logs, CancellationToken cancellationToken = default)
    {
        await _logs.GetBlobClient(LogsBlobName(workspaceId, feedbackId))
            .UploadAsync(new BinaryData(JsonSerializer.SerializeToUtf8Bytes(logs, TrackelioJson.Options)), BlobUploads.Options("application/json"), cancellationToken);
    }

    public async Task<FeedbackLogs?> GetLogsAsync(string workspaceId, string feedbackId, CancellationToken cancellationToken = default)
    {
        if (await _logRows.GetAsync(workspaceId, LogsPrefix + feedbackId, cancellationToken) is { } inline)
        {
            return inline.Value;
        }
        try
        {
            BlobDownloadResult download = await _logs.GetBlobClient(LogsBlobName(workspaceId, feedbackId)).DownloadContentAsync(cancellationToken);
            return download.Content.ToObjectFromJson<FeedbackLogs>(TrackelioJson.Options);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public static Dictionary<string, object?> Columns(FeedbackRecord record) => new()
    {
        ["Status"] = record.Status,
        ["WidgetId"] = record.WidgetId,
        ["ItemType"] = record.ItemType,
        ["CreatedAt"] = record.CreatedAt,
        ["Deleted"] = record.DeletedAt is not null,
        ["AssignedTo"] = record.AssignedTo,
        // The figures analytics tallies per day (Feedback/DailyFigures), readable without the document.
        ["Rating"] = record.Rating,
        ["ActedOn"] = RecordFigures.From(record).ActedOn,
        ["ResolveHours"] = record.ResolvedAt is { } resolved ? (resolved - record.CreatedAt).TotalHours : null,
    };
}
