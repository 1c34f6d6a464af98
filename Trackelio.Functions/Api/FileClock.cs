using System.Globalization;

namespace Trackelio.Functions.Api;

/// <summary>
/// The app's clock when <c>Trackelio:Testing:ClockFile</c> names a file: the system clock shifted by
/// the offset the file holds (<c>offset:&lt;ticks&gt;</c>), or stopped at an instant
/// (<c>at:&lt;utc ticks&gt;</c>). Tests run the app as a process of its own under the dev host, so
/// a test that crosses a schedule boundary (a rate-limit window, an announcement's start, a
/// scale-out instance's skew) moves the app's time through this file. Never set in a deployment:
/// without the setting the clock is <see cref="TimeProvider.System"/>.
/// </summary>
public sealed class FileClock(string path) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTime _readAt = DateTime.MinValue;
    private (bool Stopped, long Ticks) _value;

    public static TimeProvider FromSettings(IConfiguration configuration) =>
        configuration["Trackelio:Testing:ClockFile"] is { Length: > 0 } path ? new FileClock(path) : System;

    public override DateTimeOffset GetUtcNow()
    {
        var (stopped, ticks) = Read();
        return stopped ? new DateTimeOffset(ticks, TimeSpan.Zero) : System.GetUtcNow().AddTicks(ticks);
    }

    /// <summary>The file's value, read again whenever the file was written since.</summary>
    private (bool Stopped, long Ticks) Read()
    {
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        lock (_gate)
        {
            if (written != _readAt)
            {
                var text = written == DateTime.MinValue ? "offset:0" : File.ReadAllText(path).Trim();
                var (kind, number) = (text.Split(':')[0], long.Parse(text.Split(':')[1], CultureInfo.InvariantCulture));
                _value = (kind == "at", number);
                _readAt = written;
            }
            return _value;
        }
    }
}
