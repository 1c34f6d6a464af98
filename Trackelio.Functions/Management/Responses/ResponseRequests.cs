using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Paging;
using Trackelio.Functions.Responses;

namespace Trackelio.Functions.Management.Responses;

/// <summary><c>GET /v1/responses</c>: filters and paging.</summary>
public sealed record ResponseListQuery(ResponseQuery Filter, PageRequest Page) : IQueryRequest<ResponseListQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("kind", "Comma-separated kinds: " + string.Join(", ", ResponsesApi.Kinds) + "."),
        new("sort", "Newest first (default) or oldest first.") { Values = ["created_at:desc", "created_at:asc"] },
        new("from", "Created at or after this time (RFC 3339).", QueryValue.DateTime),
        new("to", "Created before this time (RFC 3339).", QueryValue.DateTime),
        new("widget_id", "Only responses from this widget (wdg_…)."),
        new("survey_id", "Only answers to this survey (srv_…)."),
        .. PageRequest.Parameters,
    ];

    public static ResponseListQuery? Read(QueryReader query, FieldReader fields)
    {
        var kinds = (query["kind"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var kind in kinds.Where(k => !ResponsesApi.Kinds.Contains(k)))
        {
            fields.Fail("kind", $"'{kind}' is not one of {string.Join(", ", ResponsesApi.Kinds)}");
        }
        var sort = query["sort"];
        if (sort is not (null or "created_at:desc" or "created_at:asc"))
        {
            fields.Fail("sort", "must be created_at:desc or created_at:asc");
        }
        string? Id(string name, string prefix)
        {
            var value = query[name];
            if (value is not null && !Ids.IsValid(value, prefix))
            {
                fields.Fail(name, $"must be an id ({prefix}_…)");
            }
            return value;
        }
        var filter = new ResponseQuery
        {
            Kinds = kinds,
            From = query.Time("from", fields),
            To = query.Time("to", fields),
            WidgetId = Id("widget_id", Ids.Widget),
            SurveyId = Id("survey_id", Ids.Survey),
            NewestFirst = sort != "created_at:asc",
        };
        return new ResponseListQuery(filter, PageRequest.Read(query, fields));
    }
}
