using Trackelio.Functions.Api;
using Trackelio.Functions.Feedback;

/// <summary>The feedback record the history benchmarks seed as number <c>i</c>, created at <c>at</c>.</summary>
internal static class SeededFeedback
{
    private static readonly string[] Statuses = ["new", "pending", "in_progress", "resolved", "closed"];

    public static FeedbackRecord Record(string workspaceId, int i, DateTimeOffset at)
    {
        var status = Statuses[i % Statuses.Length];
        return new FeedbackRecord
        {
            Id = Ids.New(Ids.Feedback, at),
            WorkspaceId = workspaceId,
            Source = "api",
            Status = status,
            Body = $"Seeded feedback {i}: the checkout button does nothing on mobile Safari.",
            ItemType = i % 3 == 0 ? "bug" : "idea",
            Rating = (i % 5) + 1,
            Audit = status == "new" ? [] : [new AuditEntry("status_changed", "usr_bench", at.AddHours(2))],
            CreatedAt = at,
            UpdatedAt = at,
            ResolvedAt = status is "resolved" or "closed" ? at.AddHours(5) : null,
        };
    }
}
