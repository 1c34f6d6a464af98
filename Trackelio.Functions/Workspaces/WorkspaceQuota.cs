using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Workspaces;

/// <summary>
/// A count per workspace and clock hour of something the workspace may do only so often (invitations mailed),
/// kept in table <c>workspaces</c> beside the workspace (row <c>quota|{name}|{yyyyMMddHH}</c>, never read as a
/// workspace). Taking one is a conditional write, so concurrent requests on any instance cannot overshoot, and
/// nothing gives one back: removing what was made does not make room. An hour's row is left behind (a few
/// bytes per workspace and hour in which it was used).
/// </summary>
public sealed class WorkspaceQuota(StorageAccount account, TimeProvider time)
{
    private readonly TableClient _table = account.GetTableClient(StorageNames.Tables.Workspaces);

    /// <summary>Takes one of <paramref name="perHour"/> for this hour: null when taken, else how long until the next hour.</summary>
    public async Task<TimeSpan?> TakeAsync(string workspaceId, string name, int perHour, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var rowKey = $"quota|{name}|{hour.ToString("yyyyMMddHH", CultureInfo.InvariantCulture)}";
        for (var attempt = 0; attempt < OptimisticUpdate.Attempts * 2; attempt++)
        {
            var stored = await _table.GetEntityOrNullAsync(workspaceId, rowKey, cancellationToken);
            var used = stored?.GetInt32("Count") ?? 0;
            if (used >= perHour)
            {
                return hour.AddHours(1) - now;
            }
            var entity = new TableEntity(workspaceId, rowKey) { ["Count"] = used + 1 };
            try
            {
                if (stored is null)
                {
                    await _table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await _table.UpdateEntityAsync(entity, stored.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Someone took one meanwhile: count again.
            }
        }
        return TimeSpan.FromSeconds(1); // a storm of takers: ask this one to come back in a moment
    }
}
