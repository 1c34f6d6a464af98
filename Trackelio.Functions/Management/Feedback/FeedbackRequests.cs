using System.Text.Json;
using System.Text.Json.Serialization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Management.Paging;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Feedback;

/// <summary><c>GET /v1/feedback</c>: filters and paging.</summary>
public sealed record FeedbackListQuery(FeedbackQuery Filter, PageRequest Page) : IQueryRequest<FeedbackListQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } =
    [
        new("status", "Comma-separated statuses: " + string.Join(", ", FeedbackApi.Statuses) + "."),
        new("sort", "Newest first (default) or oldest first.") { Values = ["created_at:desc", "created_at:asc"] },
        new("item_type", "Only this item type (e.g. bug)."),
        new("category", "Same as item_type (used when item_type is absent)."),
        new("widget_id", "Only feedback from this widget (wdg_…)."),
        new("assigned_to", "Only feedback assigned to this member (usr_…)."),
        new("from", "Created at or after this time (RFC 3339).", QueryValue.DateTime),
        new("to", "Created before this time (RFC 3339).", QueryValue.DateTime),
        .. PageRequest.Parameters,
    ];

    public static FeedbackListQuery? Read(QueryReader query, FieldReader fields)
    {
        var statuses = (query["status"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray(); // new,new,… ×700 is one condition, not a filter storage refuses
        foreach (var status in statuses.Where(s => !FeedbackApi.Statuses.Contains(s)))
        {
            fields.Fail("status", $"'{status}' is not one of {string.Join(", ", FeedbackApi.Statuses)}");
        }
        var sort = query["sort"];
        if (sort is not (null or "created_at:desc" or "created_at:asc"))
        {
            fields.Fail("sort", "must be created_at:desc or created_at:asc");
        }
        var itemType = query["item_type"] ?? query["category"];
        var widgetId = query["widget_id"];
        if (widgetId is not null && !Ids.IsValid(widgetId, Ids.Widget))
        {
            fields.Fail("widget_id", "must be a widget id (wdg_…)");
        }
        var assignedTo = query["assigned_to"];
        if (assignedTo is not null && !Ids.IsValid(assignedTo, Ids.User))
        {
            fields.Fail("assigned_to", "must be a member id (usr_…)");
        }
        var filter = new FeedbackQuery
        {
            AssignedTo = assignedTo,
            Statuses = statuses,
            From = query.Time("from", fields),
            To = query.Time("to", fields),
            WidgetId = widgetId,
            ItemType = itemType is { Length: <= 64 } ? itemType : null,
            NewestFirst = sort != "created_at:asc",
        };
        return new FeedbackListQuery(filter, PageRequest.Read(query, fields));
    }
}

/// <summary><c>POST /v1/feedback</c>: an entry made through the API.</summary>
public sealed record CreateFeedbackRequest : IJsonRequest<CreateFeedbackRequest>
{
    public static long MaxBytes => 256 * 1024;

    /// <summary>The text, 1 to 20,000 characters.</summary>
    public required string Body { get; init; }

    public string? Title { get; init; }

    /// <summary>1 to 5.</summary>
    public int? Rating { get; init; }

    public string? Category { get; init; }
    public string? CustomerEmail { get; init; }

    /// <summary>Free-form, at most 16 KB as JSON.</summary>
    public JsonElement? Metadata { get; init; }

    public static ValueTask<CreateFeedbackRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        var text = fields.String(body, "body", "body", 20_000, required: true);
        var rating = fields.Int(body, "rating", "rating", 1, 5);
        var category = fields.String(body, "category", "category", 64);
        var email = fields.Email(body, "customer_email", "customer_email");
        var metadata = FeedbackMetadata.Read(body, fields);
        var title = fields.String(body, "title", "title", 200);
        return ValueTask.FromResult(text is null ? null : new CreateFeedbackRequest
        {
            Body = text,
            Title = title,
            Rating = rating,
            Category = category,
            CustomerEmail = email,
            Metadata = metadata,
        });
    }
}

/// <summary><c>PATCH /v1/feedback/{id}</c>: triage — a status, an assignee (null unassigns), a note.</summary>
public sealed record UpdateFeedbackRequest : IJsonRequest<UpdateFeedbackRequest>
{
    public static long MaxBytes => 64 * 1024;

    public string? Status { get; init; }

    /// <summary>An active member's id, or null to unassign.</summary>
    public string? AssignedTo { get; init; }

    public string? Note { get; init; }

    /// <summary>Whether <c>assigned_to</c> was sent as null.</summary>
    [JsonIgnore]
    public bool Unassign { get; init; }

    public static async ValueTask<UpdateFeedbackRequest?> ReadAsync(JsonElement body, FieldReader fields, HttpContext http)
    {
        foreach (var property in body.EnumerateObject().Where(p => p.Name is not ("status" or "assigned_to" or "note")))
        {
            fields.Fail(property.Name, "cannot be changed (status, assigned_to and note can)");
        }
        var status = fields.String(body, "status", "status", 32);
        if (status is not null && !FeedbackApi.Statuses.Contains(status))
        {
            fields.Fail("status", "must be one of " + string.Join(", ", FeedbackApi.Statuses));
        }
        var unassign = body.TryGetProperty("assigned_to", out var assignedElement) && assignedElement.ValueKind == JsonValueKind.Null;
        var assignee = fields.String(body, "assigned_to", "assigned_to", 64);
        var note = fields.String(body, "note", "note", 5000);
        if (status is null && assignee is null && note is null && !unassign && !fields.HasErrors)
        {
            fields.Fail("body", "must change status, assigned_to or note");
        }
        if (assignee is not null && !await ActiveMember.IsAsync(http, assignee))
        {
            fields.Fail("assigned_to", "must be the id of an active member of this workspace");
        }
        return new UpdateFeedbackRequest { Status = status, AssignedTo = assignee, Note = note, Unassign = unassign };
    }
}
