namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Real time plus an offset the test moves forward: time keeps running (timeouts, long polls,
/// the pump work as usual) while a test can jump past a cache's lifetime or to the start of a
/// rate-limit window. One clock shared by several app instances keeps them agreeing.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves to just after the next UTC minute starts, so what follows falls in one fixed one-minute window.</summary>
    public void AdvanceToNextMinute()
    {
        var now = GetUtcNow();
        var next = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1).AddMilliseconds(50);
        Advance(next - now);
    }
}
