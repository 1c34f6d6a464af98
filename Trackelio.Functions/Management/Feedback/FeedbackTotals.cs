using Microsoft.Extensions.Caching.Memory;
using Trackelio.Functions.Feedback;

namespace Trackelio.Functions.Management.Feedback;

/// <summary>
/// <c>meta.total</c> of a feedback list without scanning the table on every call: the
/// unfiltered total comes from the counters (created − deleted); a filtered total is counted
/// from keys once and reused for 30 s, so paging through a list counts once.
/// </summary>
public sealed class FeedbackTotals(IFeedbackStore feedback, ICounterStore counters, IMemoryCache cache)
{
    public const string Total = "feedback|total";
    public const string Deleted = "feedback|deleted";
    private static readonly TimeSpan FilteredFor = TimeSpan.FromSeconds(30);

    public async Task<long> GetAsync(string workspaceId, FeedbackQuery query, string fingerprint, CancellationToken cancellationToken)
    {
        if (query.IsUnfiltered)
        {
            var created = counters.GetAsync(workspaceId, Total, cancellationToken);
            var deleted = counters.GetAsync(workspaceId, Deleted, cancellationToken);
            return Math.Max(0, await created - await deleted);
        }
        return await cache.GetOrCreateAsync((workspaceId, fingerprint), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = FilteredFor;
            entry.Size = 1;
            return feedback.CountAsync(workspaceId, query, cancellationToken);
        });
    }
}
