using System.Globalization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Responses;

/// <summary>A stored tally of one closed day, and the <c>dirty|</c> version of the day it was made at.</summary>
public interface IDayTally
{
    string? Version { get; set; }
}

/// <summary>
/// Per-day tallies of responses, so that survey results and the NPS/CSAT figures cost the days and
/// questions they cover, not the responses (the pattern of <see cref="DailyFigures"/>). Rows beside the
/// responses in table <c>responses</c>, partition = workspace: <c>agg|{subject}|{day}</c> holds a closed
/// day's tally, made once by the first reader that needs it; <c>dirty|{subject}|{day}</c> holds the day's
/// version. The subject is the survey id for survey answers and <c>scores</c> for NPS and CSAT. A day
/// is the UTC day of a response's id (what every range read of responses selects by).
/// <para>
/// Staying true: a day counts as closed <see cref="DailyFigures.Grace"/> after it ends. A change to a
/// response of a day that has ended upserts the day's dirty row with a new version in the change's own
/// transaction: an erase always (it deletes both rows of the response and marks its day in one
/// transaction), a create only when its id's day has ended (an <c>Idempotency-Key</c> retry that stores
/// its first attempt's id late, a write that crossed midnight). Intake on the day itself — nearly every
/// write — marks nothing and costs no extra request. A tally is used only while its version is the
/// day's dirty version; otherwise the day is tallied again. The tallying reader takes the version
/// before it reads the day, so a change that lands while it reads leaves its tally outdated, never wrong.
/// </para>
/// </summary>
public sealed class ResponseDays(StorageAccount account, TimeProvider time)
{
    public const string TallyPrefix = "agg|";
    public const string DirtyPrefix = "dirty|";

    /// <summary>The subject of the NPS and CSAT tallies (survey tallies use the survey id).</summary>
    public const string Scores = "scores";

    /// <summary>The most days one scan tallies (a first read of a long history makes several, four at a time).</summary>
    public const int DaysPerScan = 31;

    private const string VersionColumn = "Version";

    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.Responses);

    public static string Subject(ResponseRecord response) => response.Kind == "survey" ? response.SurveyId ?? "survey" : Scores;

    /// <summary>The start of the UTC day of <paramref name="at"/>.</summary>
    public static DateTimeOffset DayStart(DateTimeOffset at) => new(at.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>The UTC day a response counts on: the day of its id.</summary>
    public static DateTimeOffset DayOf(string responseId) => DayStart(Ids.TimeOf(responseId));

    public static string TallyRowKey(string subject, DateTimeOffset day) => TallyPrefix + subject + "|" + DailyFigures.Day(day);

    public static string DirtyRowKey(string subject, DateTimeOffset day) => DirtyPrefix + subject + "|" + DailyFigures.Day(day);

    /// <summary>The dirty mark of the response's day, with a new version: to add to the transaction that changes it.</summary>
    public static TableTransactionAction Mark(ResponseRecord response) =>
        new(TableTransactionActionType.UpsertReplace, new TableEntity(response.WorkspaceId, DirtyRowKey(Subject(response), DayOf(response.Id)))
        {
            [VersionColumn] = Guid.NewGuid().ToString("N"),
        });

    /// <summary>Whether a response made now with this id lands on a day that has ended (and so must mark it).</summary>
    public bool IsLate(string responseId) => DayOf(responseId) < DayStart(time.GetUtcNow());

    /// <summary>The first day that is not closed yet: every day before it is.</summary>
    public DateTimeOffset ClosedBefore() => DayStart(time.GetUtcNow() - DailyFigures.Grace);

    /// <summary>
    /// The stored tally of each closed day in [<paramref name="first"/>, <paramref name="end"/>), oldest
    /// first: two queries (tallies and versions, each at most one row a day). Days whose tally is missing
    /// or outdated are tallied now from <paramref name="read"/> (the responses of a range of days,
    /// ascending by id, <paramref name="idOf"/>) and stored: a run of such days is read in scans of up to <see cref="DaysPerScan"/> days,
    /// four at a time, and each day's tally is stored as soon as its scan has passed it, so a first read
    /// that runs out of its request's deadline leaves its finished days for the next.
    /// </summary>
    public async Task<List<(DateTimeOffset Day, T Tally)>> ReadAsync<T, TRow>(string workspaceId, string subject, DateTimeOffset first, DateTimeOffset end,
        Func<DateTimeOffset, DateTimeOffset, CancellationToken, IAsyncEnumerable<TRow>> read, Func<TRow, string> idOf, Action<T, TRow> add,
        CancellationToken cancellationToken)
        where T : class, IDayTally, new()
    {
        var days = new List<(DateTimeOffset Day, T Tally)>();
        if (first >= end)
        {
            return days;
        }
        var tallies = new DocumentTable<T>(_table, TrackelioJson.Options);
        var dirty = new Dictionary<DateTimeOffset, string>();
        var dirtyRead = Task.Run(async () =>
        {
            await foreach (var row in _table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {DirtyRowKey(subject, first)} and RowKey lt {DirtyRowKey(subject, end)}"),
                1000, ["RowKey", VersionColumn], cancellationToken))
            {
                dirty[DayFromRowKey(row.RowKey)] = row.GetString(VersionColumn) ?? "";
            }
        }, cancellationToken);
        var stored = new Dictionary<DateTimeOffset, T>();
        await foreach (var row in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId} and RowKey ge {TallyRowKey(subject, first)} and RowKey lt {TallyRowKey(subject, end)}"),
            maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            stored[DayFromRowKey(row.RowKey)] = tallies.Read(row);
        }
        await dirtyRead;

        // Stale days, in scans of consecutive days.
        var scans = new List<List<DateTimeOffset>>();
        for (var day = first; day < end; day = day.AddDays(1))
        {
            if (stored.TryGetValue(day, out var tally) && (tally.Version ?? "") == (dirty.GetValueOrDefault(day) ?? ""))
            {
                days.Add((day, tally));
            }
            else if (scans.Count > 0 && scans[^1][^1] == day.AddDays(-1) && scans[^1].Count < DaysPerScan)
            {
                scans[^1].Add(day);
            }
            else
            {
                scans.Add([day]);
            }
        }
        await Parallel.ForEachAsync(scans, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (scan, ct) =>
        {
            // The versions were read before the responses: a change landing in between leaves these tallies outdated, never wrong.
            var made = scan.ToDictionary(day => day, day => new T { Version = dirty.GetValueOrDefault(day) ?? "" });
            var next = 0; // the first day of the scan not stored yet
            async Task StoreUpToAsync(DateTimeOffset before)
            {
                for (; next < scan.Count && scan[next] < before; next++)
                {
                    await tallies.UpsertAsync(workspaceId, TallyRowKey(subject, scan[next]), made[scan[next]], cancellationToken: ct);
                }
            }
            await foreach (var response in read(scan[0], scan[^1].AddDays(1), ct))
            {
                var day = DayOf(idOf(response));
                await StoreUpToAsync(day);
                if (made.TryGetValue(day, out var tally))
                {
                    add(tally, response);
                }
            }
            await StoreUpToAsync(scan[^1].AddDays(1));
            lock (days)
            {
                days.AddRange(made.Select(m => (m.Key, m.Value)));
            }
        });
        days.Sort((a, b) => a.Day.CompareTo(b.Day));
        return days;
    }

    /// <summary>The start of a day written by <see cref="DailyFigures.Day"/> (yyyy-MM-dd, UTC).</summary>
    public static DateTimeOffset ParseDay(string day) =>
        new(DateTime.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    private static DateTimeOffset DayFromRowKey(string rowKey) => ParseDay(rowKey[(rowKey.LastIndexOf('|') + 1)..]);
}
