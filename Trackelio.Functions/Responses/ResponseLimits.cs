using Azure;
using Trackelio.Functions.Api;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Trackelio.Functions.Responses;

public interface IResponseLimits
{
    /// <summary>
    /// Claims the right to respond (<paramref name="kind"/>, e.g. <c>nps</c>) for one visitor — an
    /// identified user, or else a session — once per <paramref name="period"/>. Returns null when
    /// claimed, or when the next response is allowed.
    /// </summary>
    Task<DateTimeOffset?> TryClaimAsync(string widgetId, string kind, string subject, DateTimeOffset now, TimeSpan period, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back (the response it was for could not be stored).</summary>
    Task ReleaseAsync(string widgetId, string kind, string subject, CancellationToken cancellationToken = default);
}

/// <summary>
/// Claims in table <c>responselimits</c> (partition = widget, row = kind + SHA-256 of the subject),
/// taken with insert-if-absent or an ETag-guarded update, so two racing responses from one
/// visitor cannot both get through.
/// </summary>
public sealed class TableResponseLimits(StorageAccount account) : IResponseLimits
{
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.ResponseLimits);

    public async Task<DateTimeOffset?> TryClaimAsync(string widgetId, string kind, string subject, DateTimeOffset now, TimeSpan period, CancellationToken cancellationToken = default)
    {
        var rowKey = RowKey(kind, subject);
        var claim = new TableEntity(widgetId, rowKey) { ["RespondedAt"] = now };
        try
        {
            await _table.AddEntityExactlyAsync(claim, cancellationToken);
            return null;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
        }

        var existing = await _table.GetEntityOrNullAsync(widgetId, rowKey, cancellationToken);
        var last = existing?.GetDateTimeOffset("RespondedAt") ?? DateTimeOffset.MinValue;
        if (existing is not null && last + period > now)
        {
            return last + period;
        }
        try
        {
            if (existing is null)
            {
                await _table.AddEntityExactlyAsync(claim, cancellationToken);
            }
            else
            {
                await _table.UpdateEntityExactlyAsync(claim, existing.ETag, cancellationToken);
            }
            return null;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists || ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied)
        {
            return now + period; // another response from the same visitor got there first
        }
    }

    public Task ReleaseAsync(string widgetId, string kind, string subject, CancellationToken cancellationToken = default) =>
        _table.DeleteEntityAsync(widgetId, RowKey(kind, subject), cancellationToken: cancellationToken);

    private static string RowKey(string kind, string subject) => kind + "|" + Secrets.Hash(subject);
}
