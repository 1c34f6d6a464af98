using Microsoft.Extensions.Caching.Memory;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Announcements;

/// <summary>A workspace's announcements, in table <c>announcements</c> (partition = workspace).</summary>
public sealed class AnnouncementStore(StorageAccount account, IMemoryCache cache)
    : WorkspaceDocuments<Announcement>(account.GetTableClient(StorageNames.Tables.Announcements), a => a.Id, a => a.WorkspaceId, cache);

/// <summary>Announcements: their store.</summary>
public static class AnnouncementsModule
{
    public static IServiceCollection AddAnnouncements(this IServiceCollection services) =>
        services.AddSingleton<AnnouncementStore>();
}
