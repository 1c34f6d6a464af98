using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Management.Analytics;

/// <summary><c>GET /v1/analytics/summary</c>: the period (7, 30 or 90 days back from now) and how to bucket it.</summary>
public sealed record SummaryQuery(string Period, int Days, string? GroupBy) : IQueryRequest<SummaryQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("period", "The days back from now (default 30d).") { Values = ["7d", "30d", "90d"] },
        new("group_by", "Also figures per UTC calendar day, week or month.") { Values = ["day", "week", "month"] },
    ];

    public static SummaryQuery? Read(QueryReader query, FieldReader fields)
    {
        var period = query["period"] ?? "30d";
        var days = period switch { "7d" => 7, "30d" => 30, "90d" => 90, _ => 0 };
        if (days == 0)
        {
            fields.Fail("period", "must be 7d, 30d or 90d");
        }
        var groupBy = query["group_by"];
        if (groupBy is not (null or "day" or "week" or "month"))
        {
            fields.Fail("group_by", "must be day, week or month");
        }
        return new SummaryQuery(period, days, groupBy);
    }
}
