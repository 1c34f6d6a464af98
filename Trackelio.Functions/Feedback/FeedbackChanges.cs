namespace Trackelio.Functions.Feedback;

/// <summary>The changes the team makes to a feedback record, each written into its audit trail.</summary>
public static class FeedbackChanges
{
    /// <summary>The record with the changes made and each one written into its audit trail.</summary>
    public static FeedbackRecord Triage(this FeedbackRecord record, string actor, DateTimeOffset now, string? status, string? assignee, bool unassign, string? note)
    {
        var audit = record.Audit.ToList();
        var notes = record.Notes.ToList();
        var result = record;
        if (status is not null && status != record.Status)
        {
            audit.Add(new AuditEntry("status_changed", actor, now, new Dictionary<string, string?> { ["from"] = record.Status, ["to"] = status }));
            result = result with
            {
                Status = status,
                ResolvedAt = status is "resolved" or "closed" ? record.ResolvedAt ?? now : null,
            };
        }
        var newAssignee = unassign ? null : assignee ?? record.AssignedTo;
        if (newAssignee != record.AssignedTo)
        {
            audit.Add(new AuditEntry("assigned", actor, now, new Dictionary<string, string?> { ["from"] = record.AssignedTo, ["to"] = newAssignee }));
            result = result with { AssignedTo = newAssignee };
        }
        if (note is not null)
        {
            notes.Add(new FeedbackNote(actor, note, now));
            audit.Add(new AuditEntry("note_added", actor, now));
        }
        return result with { Audit = audit, Notes = notes, UpdatedAt = now };
    }

    /// <summary>The record soft-deleted: hidden from the API, kept for the audit trail.</summary>
    public static FeedbackRecord SoftDeleted(this FeedbackRecord record, string actor, DateTimeOffset now) => record with
    {
        DeletedAt = now,
        UpdatedAt = now,
        Audit = [.. record.Audit, new AuditEntry("deleted", actor, now)],
    };
}
