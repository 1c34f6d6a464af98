using System.Globalization;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Real time plus an offset the test moves forward: time keeps running (timeouts, long polls,
/// the triggers work as usual) while a test can jump past a cache's lifetime or to the start of a
/// rate-limit window. One clock shared by several app instances keeps them agreeing. The app
/// reads it from <see cref="File"/> (<c>Trackelio:Testing:ClockFile</c>, the app's <c>FileClock</c>).
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public ShiftedClock() => ClockFiles.Write(File, "offset:0");

    /// <summary>The file the app under test reads this clock from.</summary>
    public string File { get; } = ClockFiles.New();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        var offset = Interlocked.Add(ref _offsetTicks, by.Ticks);
        ClockFiles.Write(File, "offset:" + offset.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Moves to just after the next UTC minute starts, so what follows falls in one fixed one-minute window.</summary>
    public void AdvanceToNextMinute()
    {
        var now = GetUtcNow();
        var next = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1).AddMilliseconds(50);
        Advance(next - now);
    }
}

/// <summary>Clock files the app under test reads its time from (see <c>Trackelio.Functions.Api.FileClock</c>).</summary>
internal static class ClockFiles
{
    public static string New() => Path.Combine(Path.GetTempPath(), $"trackelio-clock-{Guid.NewGuid():N}");

    /// <summary>Whole or not at all: a reader never sees half a value.</summary>
    public static void Write(string path, string value)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N");
        System.IO.File.WriteAllText(temporary, value);
        System.IO.File.Move(temporary, path, overwrite: true);
    }
}
