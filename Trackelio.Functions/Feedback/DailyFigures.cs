using System.Globalization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Feedback;

/// <summary>The figures analytics needs of one record, stored as plain columns beside it (see <see cref="TableFeedbackStore.Columns"/>).</summary>
public sealed record RecordFigures(DateTimeOffset CreatedAt, string Status, string? ItemType, int? Rating, bool ActedOn, double? ResolveHours)
{
    public static RecordFigures From(FeedbackRecord record) => new(record.CreatedAt, record.Status, record.ItemType, record.Rating,
        record.TeamActedAt is not null || record.Audit.Any(a => a.Action != "created" && a.Actor.StartsWith(Ids.User + "_", StringComparison.Ordinal)),
        record.ResolvedAt is { } resolved ? (resolved - record.CreatedAt).TotalHours : null);
}

/// <summary>The feedback figures of a set of records (one UTC day, a bucket, a period), mergeable.</summary>
public sealed class FiguresTally
{
    public int Total { get; set; }
    public double RatingSum { get; set; }
    public int RatingCount { get; set; }
    public int ActedOn { get; set; }
    public List<double> ResolveHours { get; set; } = [];
    public Dictionary<string, int> ByStatus { get; set; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> ByItemType { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The <c>dirty|</c> version of the day this tally was computed at (stored day tallies only).</summary>
    public string? Version { get; set; }

    public void Add(RecordFigures record)
    {
        Total++;
        if (record.Rating is { } rating)
        {
            RatingSum += rating;
            RatingCount++;
        }
        ActedOn += record.ActedOn ? 1 : 0;
        if (record.ResolveHours is { } hours)
        {
            ResolveHours.Add(hours);
        }
        ByStatus[record.Status] = ByStatus.GetValueOrDefault(record.Status) + 1;
        var type = record.ItemType ?? "none";
        ByItemType[type] = ByItemType.GetValueOrDefault(type) + 1;
    }

    public void Add(FiguresTally other)
    {
        Total += other.Total;
        RatingSum += other.RatingSum;
        RatingCount += other.RatingCount;
        ActedOn += other.ActedOn;
        ResolveHours.AddRange(other.ResolveHours);
        foreach (var (status, n) in other.ByStatus)
        {
            ByStatus[status] = ByStatus.GetValueOrDefault(status) + n;
        }
        foreach (var (type, n) in other.ByItemType)
        {
            ByItemType[type] = ByItemType.GetValueOrDefault(type) + n;
        }
    }
}

/// <summary>
/// Feedback figures per UTC day of creation, so that analytics costs the same over a long history as
/// over a short one. A period is read as: its first (partial) day and the days not yet closed read
/// live from the records' plain columns (bounded by a day's records), and every closed day in between
/// from its stored tally, row <c>agg|{day}</c> of the workspace's partition in table <c>feedback</c>
/// (at most one row per day of the period). A closed day's tally is made once, by the first reader
/// that needs it.
/// <para>
/// Staying true: a day counts as closed <see cref="Grace"/> after it ends, and a write to a record
/// whose day has ended (a status change, a delete, a late enrichment) also upserts row
/// <c>dirty|{day}</c> with a new version, in the record's own transaction. A tally is used only while
/// its version is the day's dirty version; otherwise the day is tallied again. Writes to today's
/// records — nearly all of them — touch no shared row, so concurrent writers never meet; the grace
/// covers a write that starts before midnight and lands after it (clock skew, storage latency).
/// </para>
/// </summary>
public sealed class DailyFigures(StorageAccount account, TimeProvider time)
{
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);
    public const string TallyPrefix = "agg|";
    public const string DirtyPrefix = "dirty|";
    private const string VersionColumn = "Version";
    private static readonly string[] FigureColumns = ["RowKey", "Status", "ItemType", "CreatedAt", "Rating", "ActedOn", "ResolveHours"];

    private readonly DocumentTable<FiguresTally> _tallies = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);
    private readonly DocumentTable<FeedbackRecord> _records = new(account.GetTableClient(StorageNames.Tables.Feedback), TrackelioJson.Options);

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The dirty mark for a write to <paramref name="record"/>, when its day has ended; to add to the write's transaction.</summary>
    public static IEnumerable<TableTransactionAction> DirtyMark(FeedbackRecord record, DateTimeOffset now) =>
        record.CreatedAt.UtcDateTime.Date < now.UtcDateTime.Date
            ? [new(TableTransactionActionType.UpsertReplace, new TableEntity(record.WorkspaceId, DirtyPrefix + Day(record.CreatedAt)) { [VersionColumn] = Guid.NewGuid().ToString("N") })]
            : [];

    /// <summary>Tallies of the records created in [<paramref name="from"/>, <paramref name="to"/>), one per bucket.</summary>
    public async Task<FiguresTally[]> TallyAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> buckets, CancellationToken cancellationToken)
    {
        var tallies = buckets.Select(_ => new FiguresTally()).ToArray();
        void AddRecord(RecordFigures record)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                if (record.CreatedAt >= buckets[i].Start && record.CreatedAt < buckets[i].End)
                {
                    tallies[i].Add(record);
                }
            }
        }

        var firstFullDay = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero).AddDays(from.UtcDateTime.TimeOfDay == TimeSpan.Zero ? 0 : 1);
        var closedBefore = new DateTimeOffset((time.GetUtcNow() - Grace).UtcDateTime.Date, TimeSpan.Zero); // days before it are closed
        var lastFullDayEnd = new DateTimeOffset(to.UtcDateTime.Date, TimeSpan.Zero);
        var storedEnd = closedBefore < lastFullDayEnd ? closedBefore : lastFullDayEnd;

        if (storedEnd <= firstFullDay)
        {
            await foreach (var record in ReadRecordsAsync(workspaceId, from, to, cancellationToken))
            {
                AddRecord(record);
            }
            return tallies;
        }

        // Live: the partial first day and everything from the first day not closed.
        var live = ReadRecordsAsync(workspaceId, from, firstFullDay, cancellationToken).Concat(ReadRecordsAsync(workspaceId, storedEnd, to, cancellationToken));
        var stored = ReadDaysAsync(workspaceId, firstFullDay, storedEnd, cancellationToken);
        await foreach (var record in live)
        {
            AddRecord(record);
        }
        foreach (var (day, tally) in await stored)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                if (day >= buckets[i].Start && day < buckets[i].End)
                {
                    tallies[i].Add(tally);
                }
            }
        }
        return tallies;
    }

    /// <summary>
    /// How many records were created on each UTC day from <paramref name="firstDay"/> (a midnight) to
    /// now, from the same stored tallies and live reads as <see cref="TallyAsync"/>: one row per
    /// closed day, the records of the days not yet closed. Days without records are absent.
    /// </summary>
    public async Task<Dictionary<DateTimeOffset, int>> TotalsByDayAsync(string workspaceId, DateTimeOffset firstDay, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var closedBefore = new DateTimeOffset((now - Grace).UtcDateTime.Date, TimeSpan.Zero);
        var totals = new Dictionary<DateTimeOffset, int>();
        if (closedBefore > firstDay)
        {
            foreach (var (day, tally) in await ReadDaysAsync(workspaceId, firstDay, closedBefore, cancellationToken))
            {
                if (tally.Total > 0)
                {
                    totals[day] = tally.Total;
                }
            }
        }
        // A record created "now" may carry a time a moment ahead of this clock; the live read runs to the next day.
        await foreach (var record in ReadRecordsAsync(workspaceId, closedBefore > firstDay ? closedBefore : firstDay, now.UtcDateTime.Date.AddDays(2), cancellationToken))
        {
            var day = new DateTimeOffset(record.CreatedAt.UtcDateTime.Date, TimeSpan.Zero);
            totals[day] = totals.GetValueOrDefault(day) + 1;
        }
        return totals;
    }

    /// <summary>The stored tally of each closed day in [<paramref name="first"/>, <paramref name="end"/>), made now where missing or outdated.</summary>
    private async Task<List<(DateTimeOffset Day, FiguresTally Tally)>> ReadDaysAsync(string workspaceId, DateTimeOffset first, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var dirty = new Dictionary<string, string>(StringComparer.Ordinal);
        var dirtyRead = Task.Run(async () =>
        {
            await foreach (var row in _tallies.Table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {DirtyPrefix + Day(first)} and RowKey lt {DirtyPrefix + Day(end)}"),
                1000, ["RowKey", VersionColumn], cancellationToken))
            {
                dirty[row.RowKey[DirtyPrefix.Length..]] = row.GetString(VersionColumn) ?? "";
            }
        }, cancellationToken);
        var stored = new Dictionary<string, FiguresTally>(StringComparer.Ordinal);
        await foreach (var row in _tallies.Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {TallyPrefix + Day(first)} and RowKey lt {TallyPrefix + Day(end)}"),
            maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            stored[row.RowKey[TallyPrefix.Length..]] = _tallies.Read(row);
        }
        await dirtyRead;

        var days = new List<(DateTimeOffset, FiguresTally)>();
        var stale = new List<DateTimeOffset>();
        for (var day = first; day < end; day = day.AddDays(1))
        {
            var version = dirty.GetValueOrDefault(Day(day)) ?? "";
            if (stored.TryGetValue(Day(day), out var tally) && (tally.Version ?? "") == version)
            {
                days.Add((day, tally));
            }
            else
            {
                stale.Add(day);
            }
        }
        // Stale days are re-tallied in runs of consecutive days, one range read per run (at most
        // MaxRunDays), then each day's tally stored: a first summary over a long history costs a
        // range read per month of it, not one per day.
        await Parallel.ForEachAsync(Runs(stale), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (run, ct) =>
        {
            var tallies = run.ToDictionary(day => day, day => new FiguresTally { Version = dirty.GetValueOrDefault(Day(day)) ?? "" });
            await foreach (var record in ReadRecordsAsync(workspaceId, run[0], run[^1].AddDays(1), ct))
            {
                if (tallies.TryGetValue(new DateTimeOffset(record.CreatedAt.UtcDateTime.Date, TimeSpan.Zero), out var tally))
                {
                    tally.Add(record);
                }
            }
            foreach (var (day, tally) in tallies)
            {
                await _tallies.UpsertAsync(workspaceId, TallyPrefix + Day(day), tally, cancellationToken: ct);
                lock (days)
                {
                    days.Add((day, tally));
                }
            }
        });
        return days;
    }

    private const int MaxRunDays = 31;

    /// <summary>The days, cut into runs of consecutive days of at most <see cref="MaxRunDays"/>.</summary>
    private static IEnumerable<List<DateTimeOffset>> Runs(List<DateTimeOffset> days)
    {
        var run = new List<DateTimeOffset>();
        foreach (var day in days)
        {
            if (run.Count > 0 && (day != run[^1].AddDays(1) || run.Count == MaxRunDays))
            {
                yield return run;
                run = [];
            }
            run.Add(day);
        }
        if (run.Count > 0)
        {
            yield return run;
        }
    }

    private static double? Number(object? value) => value switch
    {
        double d => d,
        int i => i,
        long l => l,
        _ => null,
    };

    /// <summary>The figures of the records created in [<paramref name="from"/>, <paramref name="to"/>), from their plain columns.</summary>
    private async IAsyncEnumerable<RecordFigures> ReadRecordsAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (from >= to)
        {
            yield break;
        }
        var filter = new FeedbackQuery { From = from, To = to, NewestFirst = false }.ToFilter(workspaceId);
        await foreach (var row in _records.Table.QueryAsync<TableEntity>(filter, 1000, FigureColumns, cancellationToken))
        {
            if (row.GetBoolean("ActedOn") is not { } actedOn)
            {
                // Written before these columns existed: read the record itself.
                if (await _records.GetAsync(workspaceId, row.RowKey, cancellationToken) is { } stored)
                {
                    yield return RecordFigures.From(stored.Value);
                }
                continue;
            }
            yield return new RecordFigures(row.GetDateTimeOffset("CreatedAt") ?? default, row.GetString("Status") ?? "new", row.GetString("ItemType"),
                (int?)Number(row["Rating"]), actedOn, Number(row["ResolveHours"]));
        }
    }
}
