using System.Globalization;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>The app with a clock the test moves: for schedule boundaries to the millisecond.</summary>
public sealed class ManualClockApp : TrackelioApp
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Testing:ClockFile"] = Clock.File,
    };
}

/// <summary>A stopped clock the test sets; the app reads it from <see cref="File"/> (<c>Trackelio:Testing:ClockFile</c>).</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public ManualClock(DateTimeOffset start) => Set(start);

    public string File { get; } = ClockFiles.New();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset at)
    {
        Interlocked.Exchange(ref _ticks, at.UtcTicks);
        ClockFiles.Write(File, "at:" + at.UtcTicks.ToString(CultureInfo.InvariantCulture));
    }
}
