using System.Text.Json.Serialization;

namespace Trackelio.Functions.Responses;

/// <summary>
/// The NPS and CSAT figures of a period for analytics, from per-day tallies (<see cref="ResponseDays"/>,
/// subject <c>scores</c>): the period's partial first day and the days not yet closed are read live from the
/// responses' plain columns (<c>Kind</c>, <c>Score</c>, <c>ScaleMax</c>, <c>CreatedAt</c>; never the
/// documents), each closed day from its stored tally. A closed day's tally counts the responses created on the day and
/// keeps apart, one by one, the few whose <c>created_at</c> is on another (a retry that stored its first
/// attempt's id late), so buckets still go by <c>created_at</c>, as they did when every response was read.
/// </summary>
public sealed class ResponseFigures(IResponseStore responses, ResponseDays days) : IResponseFigures
{
    public async Task<ScoreFigures> TallyAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> buckets, CancellationToken cancellationToken)
    {
        var total = new ScoreCounts();
        var perBucket = buckets.Select(_ => new ScoreCounts()).ToArray();
        void AddToBuckets(DateTimeOffset at, Action<ScoreCounts> add)
        {
            for (var i = 0; i < buckets.Count; i++)
            {
                if (at >= buckets[i].Start && at < buckets[i].End)
                {
                    add(perBucket[i]);
                }
            }
        }

        var firstFullDay = ResponseDays.DayStart(from) == from ? from : ResponseDays.DayStart(from).AddDays(1);
        var lastFullDayEnd = ResponseDays.DayStart(to);
        var closedBefore = days.ClosedBefore();
        var storedEnd = closedBefore < lastFullDayEnd ? closedBefore : lastFullDayEnd;
        if (storedEnd <= firstFullDay)
        {
            (firstFullDay, storedEnd) = (to, to); // nothing closed in the period: all of it live
        }

        var stored = days.ReadAsync<ScoreDay, ScoreRow>(workspaceId, ResponseDays.Scores, firstFullDay, storedEnd, (start, end, ct) => ReadAsync(workspaceId, start, end, ct),
            response => response.Id, (day, response) => day.Add(response), cancellationToken);
        await foreach (var response in ReadAsync(workspaceId, from, firstFullDay, cancellationToken).Concat(ReadAsync(workspaceId, storedEnd, to, cancellationToken)))
        {
            total.Add(response);
            AddToBuckets(response.CreatedAt, counts => counts.Add(response));
        }
        foreach (var (start, day) in await stored)
        {
            // Buckets hold whole closed days (only the period's first and last are cut, at days read live).
            total.Add(day.Counts);
            AddToBuckets(start, counts => counts.Add(day.Counts));
            foreach (var late in day.Late)
            {
                total.Add(late.Kind, late.Score, late.ScaleMax);
                AddToBuckets(late.CreatedAt, counts => counts.Add(late.Kind, late.Score, late.ScaleMax));
            }
        }
        return new ScoreFigures(total, perBucket);
    }

    private IAsyncEnumerable<ScoreRow> ReadAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        from >= to ? AsyncEnumerable.Empty<ScoreRow>() : responses.ScanScoresAsync(workspaceId, from, to, cancellationToken);
}

/// <summary>The NPS and CSAT figures of a period (every response of it) and of each of its buckets (by <c>created_at</c>).</summary>
public sealed record ScoreFigures(ScoreCounts Total, IReadOnlyList<ScoreCounts> Buckets);

/// <summary>One closed day's tally of NPS and CSAT responses (by the day of their id).</summary>
public sealed class ScoreDay : IDayTally
{
    /// <summary>The responses created on the day.</summary>
    public ScoreCounts Counts { get; set; } = new();

    /// <summary>Responses created on another day (a retry that stored its first attempt's id late; rare): one by one, for their buckets.</summary>
    public List<LateScore> Late { get; set; } = [];

    public string? Version { get; set; }

    public void Add(ScoreRow response)
    {
        if (ResponseDays.DayStart(response.CreatedAt) == ResponseDays.DayOf(response.Id))
        {
            Counts.Add(response);
        }
        else if (response.Score is { } score)
        {
            Late.Add(new LateScore(response.Kind, score, response.ScaleMax, response.CreatedAt));
        }
    }
}

/// <summary>A score whose <c>created_at</c> is not on the day of its id.</summary>
public sealed record LateScore(string Kind, int Score, int? ScaleMax, DateTimeOffset CreatedAt);

/// <summary>NPS and CSAT responses counted, mergeable: what the NPS score and the CSAT average are made of.</summary>
public sealed class ScoreCounts
{
    public int Nps { get; set; }
    public int Promoters { get; set; }
    public int Detractors { get; set; }

    /// <summary>CSAT ratings per scale (its maximum; 5 also for a rating stored without one): their number and sum.</summary>
    public Dictionary<int, CsatSum> Csat { get; set; } = [];

    [JsonIgnore]
    public int CsatCount => Csat.Values.Sum(s => s.Count);

    /// <summary>
    /// The average CSAT rating on the 1–5 scale: a rating r on 1…m counts as 1 + (r − 1)·4/(m − 1). Summed per
    /// scale from whole numbers, so it does not depend on the order the responses were read in.
    /// </summary>
    [JsonIgnore]
    public double? CsatAverage => CsatCount == 0 ? null
        : Csat.OrderBy(s => s.Key).Sum(s => s.Key == 5 ? s.Value.Sum : s.Value.Count + ((s.Value.Sum - s.Value.Count) * 4.0 / (s.Key - 1))) / CsatCount;

    [JsonIgnore]
    public double? NpsScore => Nps == 0 ? null : 100.0 * (Promoters - Detractors) / Nps;

    public void Add(ScoreRow response)
    {
        if (response.Score is { } score)
        {
            Add(response.Kind, score, response.ScaleMax);
        }
    }

    public void Add(string kind, int score, int? scaleMax)
    {
        if (kind == "nps")
        {
            Nps++;
            Promoters += score >= 9 ? 1 : 0;
            Detractors += score <= 6 ? 1 : 0;
        }
        else if (kind == "csat")
        {
            var scale = scaleMax ?? 5;
            var sum = Csat.GetValueOrDefault(scale) ?? new CsatSum(0, 0);
            Csat[scale] = new CsatSum(sum.Count + 1, sum.Sum + score);
        }
    }

    public void Add(ScoreCounts other)
    {
        Nps += other.Nps;
        Promoters += other.Promoters;
        Detractors += other.Detractors;
        foreach (var (scale, add) in other.Csat)
        {
            var sum = Csat.GetValueOrDefault(scale) ?? new CsatSum(0, 0);
            Csat[scale] = new CsatSum(sum.Count + add.Count, sum.Sum + add.Sum);
        }
    }
}

/// <summary>How many ratings of one scale, and their sum.</summary>
public sealed record CsatSum(int Count, long Sum);

/// <summary>Where analytics reads NPS and CSAT figures from (this module provides it).</summary>
public interface IResponseFigures
{
    /// <summary>The figures of the responses made in [<paramref name="from"/>, <paramref name="to"/>), in total and per bucket.</summary>
    Task<ScoreFigures> TallyAsync(string workspaceId, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyList<(DateTimeOffset Start, DateTimeOffset End)> buckets, CancellationToken cancellationToken);
}
