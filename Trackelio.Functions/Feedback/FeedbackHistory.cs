using System.Globalization;
using System.Text.Json.Serialization;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;

namespace Trackelio.Functions.Feedback;

/// <summary>One internal note or one audit entry, stored in a row of its own.</summary>
public sealed record FeedbackHistoryEntry(FeedbackNote? Note, AuditEntry? Audit);

/// <summary>
/// Where a record's notes and audit trail grow: each entry added after the record was created
/// is a row of its own beside the record (same table and partition, row
/// <c>hist|{feedback id}|{time}{sequence}</c>, outside the ranges lists read), written in the
/// same entity-group transaction as the change it records. The record row keeps only what it
/// was created with, so it never grows past the entity's size however often it changes.
/// </summary>
public static class FeedbackHistory
{
    public const string Prefix = "hist|";

    public static string RangeFilter(string workspaceId, string feedbackId)
    {
        var first = Prefix + feedbackId + "|";
        var end = Prefix + feedbackId + "}"; // '}' sorts right after '|'
        return TableQueries.And(
            TableClient.CreateQueryFilter($"PartitionKey eq {workspaceId}"),
            TableClient.CreateQueryFilter($"RowKey gt {first}"),
            TableClient.CreateQueryFilter($"RowKey lt {end}"))!;
    }

    public static string RowKey(string feedbackId, DateTimeOffset at, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{feedbackId}|{at.UtcTicks:D19}{sequence:D3}{Random.Shared.Next(0, 1 << 20):x5}");

    /// <summary>
    /// Splits an updated record into the row to store (only the entries it was read with) and the
    /// entries that were appended since, which become rows of their own.
    /// </summary>
    public static (FeedbackRecord Row, IReadOnlyList<FeedbackHistoryEntry> Appended) Split(FeedbackRecord record)
    {
        var notes = record.Notes.Skip(record.InlineNoteCount).Select(n => new FeedbackHistoryEntry(n, null));
        var audit = record.Audit.Skip(record.InlineAuditCount).Select(a => new FeedbackHistoryEntry(null, a));
        var appended = audit.Concat(notes).ToList();
        var teamActed = record.TeamActedAt
            ?? appended.Select(e => e.Audit).Where(a => a is not null && a.Actor.StartsWith(Ids.User + "_", StringComparison.Ordinal)).Select(a => (DateTimeOffset?)a!.At).FirstOrDefault();
        var row = record with
        {
            Notes = record.Notes.Take(record.InlineNoteCount).ToList(),
            Audit = record.Audit.Take(record.InlineAuditCount).ToList(),
            TeamActedAt = teamActed,
        };
        return (row, appended);
    }

    /// <summary>The record as read from its row: what it holds inline is what later updates keep inline.</summary>
    public static FeedbackRecord AsRead(FeedbackRecord record) =>
        record with { InlineAuditCount = record.Audit.Count, InlineNoteCount = record.Notes.Count };

    /// <summary>The record with its whole history: the inline entries, then the rows in order.</summary>
    public static FeedbackRecord Merge(FeedbackRecord record, IEnumerable<FeedbackHistoryEntry> rows)
    {
        var list = rows.ToList();
        return record with
        {
            Notes = [.. record.Notes.Take(record.InlineNoteCount), .. list.Where(e => e.Note is not null).Select(e => e.Note!)],
            Audit = [.. record.Audit.Take(record.InlineAuditCount), .. list.Where(e => e.Audit is not null).Select(e => e.Audit!)],
        };
    }
}
