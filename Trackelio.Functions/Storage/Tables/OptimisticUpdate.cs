using Azure;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>What came of an update: the value written, the value left as it was, nothing to update, or a race lost too often.</summary>
public enum UpdateStatus
{
    Updated,
    Unchanged,
    NotFound,
    Conflict,
}

/// <summary>The outcome of <see cref="OptimisticUpdate.RunAsync{T}"/>: its status and the value as stored afterwards (null when not found).</summary>
public sealed record UpdateOutcome<T>(UpdateStatus Status, T? Value)
    where T : class
{
    public static UpdateOutcome<T> NotFound { get; } = new(UpdateStatus.NotFound, null);
}

/// <summary>
/// The one read-modify-write loop: read the value with its ETag, apply the change, write it
/// back only if nobody changed it meanwhile, and on a lost race apply the change again to the
/// newer value. Stores use it, so callers never see an ETag or a 412.
/// </summary>
public static class OptimisticUpdate
{
    public const int Attempts = 5;

    /// <param name="read">Reads the current value (null: there is none).</param>
    /// <param name="change">The new value, or null to leave the stored one as it is.</param>
    /// <param name="write">Writes the new value while the stored one is still at the ETag (throws with 412 otherwise).</param>
    /// <param name="attempts">How many races to run before answering <see cref="UpdateStatus.Conflict"/>.</param>
    /// <param name="lostRace">Which write failures are a lost race (default: 412); others are thrown.</param>
    /// <param name="pause">Waits before the next attempt (given the attempt just lost): spreads out writers of a busy value.</param>
    public static async Task<UpdateOutcome<T>> RunAsync<T>(Func<CancellationToken, Task<Stored<T>?>> read, Func<T, T?> change,
        Func<T, ETag, CancellationToken, Task> write, CancellationToken cancellationToken, int attempts = Attempts,
        Func<RequestFailedException, bool>? lostRace = null, Func<int, CancellationToken, Task>? pause = null)
        where T : class
    {
        lostRace ??= ex => ex.Status == 412;
        for (var attempt = 1; ; attempt++)
        {
            if (await read(cancellationToken) is not { } stored)
            {
                return UpdateOutcome<T>.NotFound;
            }
            if (change(stored.Value) is not { } changed)
            {
                return new UpdateOutcome<T>(UpdateStatus.Unchanged, stored.Value);
            }
            try
            {
                await write(changed, stored.ETag, cancellationToken);
                return new UpdateOutcome<T>(UpdateStatus.Updated, changed);
            }
            catch (RequestFailedException ex) when (lostRace(ex))
            {
                if (attempt >= attempts)
                {
                    return new UpdateOutcome<T>(UpdateStatus.Conflict, stored.Value);
                }
                if (pause is not null)
                {
                    await pause(attempt, cancellationToken);
                }
            }
        }
    }
}
