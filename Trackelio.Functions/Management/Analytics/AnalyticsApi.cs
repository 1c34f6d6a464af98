using Microsoft.Azure.Functions.Worker;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Responses;

namespace Trackelio.Functions.Management.Analytics;

/// <summary>The figures of a period (or of one bucket of it).</summary>
public sealed record AnalyticsFigures
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required int TotalSubmissions { get; init; }
    public double? AverageRating { get; init; }

    /// <summary>Share (0–1) of the period's feedback a team member acted on: changed its status or assignee, or added a note.</summary>
    public double? ResponseRate { get; init; }

    public double? MedianTimeToResolveHours { get; init; }

    /// <summary>NPS (−100…100) and CSAT average of the period's survey responses; null while there are none.</summary>
    public double? NpsScore { get; init; }

    public double? CsatAverage { get; init; }
    public required IReadOnlyDictionary<string, int> ByStatus { get; init; }
    public required IReadOnlyDictionary<string, int> ByItemType { get; init; }
}

public sealed record AnalyticsSummary(string Period, string? GroupBy, AnalyticsFigures Totals, IReadOnlyList<AnalyticsFigures>? Buckets);

/// <summary><c>GET /v1/analytics/summary?period=7d|30d|90d&amp;group_by=day|week|month</c>.</summary>
[ApiKeyAuth]
[Tags("Analytics")]
public static class AnalyticsApi
{

    [Function("AnalyticsSummary")]
    [EndpointSummary("Submissions, rating, response rate, time to resolve, NPS and CSAT over a period")]
    public static async Task<ApiResponse<AnalyticsSummary>> Summary([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/analytics/summary")] HttpRequest req, Query<SummaryQuery> request, CurrentMember member, DailyFigures feedback, IEnumerable<IResponseFigures> responses,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (period, days, groupBy) = request.Value;
        var to = time.GetUtcNow();
        var from = to.AddDays(-days);
        // Per-day tallies: the cost follows the period's days, not the history's records (DailyFigures),
        // nor the buckets: every grouping is summed from the same reads, so day costs what week does.
        var buckets = groupBy is null ? [] : Buckets(from, to, groupBy).ToList();
        var tallies = await feedback.TallyAsync(member.WorkspaceId, from, to, [(from, to), .. buckets], cancellationToken);
        var source = responses.FirstOrDefault();
        var scores = source is null
            ? new ScoreFigures(new ScoreCounts(), buckets.Select(_ => new ScoreCounts()).ToList())
            : await source.TallyAsync(member.WorkspaceId, from, to, buckets, cancellationToken);

        var totals = Figures(from, to, tallies[0], scores.Total);
        var bucketFigures = groupBy is null ? null : buckets.Select((b, i) => Figures(b.Start, b.End, tallies[i + 1], scores.Buckets[i])).ToList();
        return ApiResults.Ok(new AnalyticsSummary(period, groupBy, totals, bucketFigures));
    }

    internal static AnalyticsFigures Figures(DateTimeOffset from, DateTimeOffset to, FiguresTally records, ScoreCounts scores)
    {
        var resolveHours = records.ResolveHours.Order().ToList();
        return new AnalyticsFigures
        {
            From = from,
            To = to,
            TotalSubmissions = records.Total,
            AverageRating = records.RatingCount == 0 ? null : Math.Round(records.RatingSum / records.RatingCount, 2),
            ResponseRate = records.Total == 0 ? null : Math.Round((double)records.ActedOn / records.Total, 4),
            MedianTimeToResolveHours = resolveHours.Count == 0 ? null : Math.Round(Median(resolveHours), 2),
            NpsScore = scores.NpsScore is { } nps ? Math.Round(nps, 1) : null,
            CsatAverage = scores.CsatAverage is { } csat ? Math.Round(csat, 2) : null,
            ByStatus = records.ByStatus,
            ByItemType = records.ByItemType,
        };
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>UTC calendar days, weeks (from Monday) or months overlapping the period, cut to it; empty ones too.</summary>
    internal static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Buckets(DateTimeOffset from, DateTimeOffset to, string groupBy)
    {
        var day = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
        var start = groupBy switch
        {
            "day" => day,
            "week" => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
        while (start < to)
        {
            var end = groupBy switch { "day" => start.AddDays(1), "week" => start.AddDays(7), _ => start.AddMonths(1) };
            yield return (start < from ? from : start, end > to ? to : end);
            start = end;
        }
    }
}
