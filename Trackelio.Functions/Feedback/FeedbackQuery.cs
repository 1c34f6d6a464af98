using Trackelio.Functions.Api;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Feedback;

/// <summary>Which feedback a list shows, and in which order.</summary>
public sealed record FeedbackQuery
{
    public IReadOnlyList<string> Statuses { get; init; } = [];
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? WidgetId { get; init; }
    public string? ItemType { get; init; }
    public string? AssignedTo { get; init; }

    /// <summary>Soft-deleted records too (privacy requests must find them).</summary>
    public bool IncludeDeleted { get; init; }

    public bool NewestFirst { get; init; } = true;

    public bool IsUnfiltered => Statuses.Count == 0 && From is null && To is null && WidgetId is null && ItemType is null && AssignedTo is null;

    /// <summary>Resume after this row key (keyset paging): the last row of the previous page.</summary>
    public string? After { get; init; }

    /// <summary>
    /// The table filter: a row-key range (the time window, as id bounds, on the ascending rows
    /// or the newest-first index rows), then the column conditions. Values are typed literals.
    /// </summary>
    public string ToFilter(string workspaceId)
    {
        var range = TimeOrderedTable<FeedbackRecord>.Range(Ids.Feedback, From, To, NewestFirst);
        var statuses = Statuses.Count == 0 ? null : string.Join(" or ", Statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s}")));
        return TableQueries.And(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"),
            range,
            After is null ? null : TableClient.CreateQueryFilter($"RowKey gt {After}"),
            IncludeDeleted ? null : TableClient.CreateQueryFilter($"Deleted eq {false}"),
            statuses,
            WidgetId is null ? null : TableClient.CreateQueryFilter($"WidgetId eq {WidgetId}"),
            ItemType is null ? null : TableClient.CreateQueryFilter($"ItemType eq {ItemType}"),
            AssignedTo is null ? null : TableClient.CreateQueryFilter($"AssignedTo eq {AssignedTo}"))!;
    }
}
