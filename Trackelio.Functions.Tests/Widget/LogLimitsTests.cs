using System.Text;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Widget;

public sealed class LogLimitsTests
{
    private static readonly WidgetLimits Limits = new();

    [Fact]
    public void Newest_console_entries_are_kept()
    {
        var entries = Enumerable.Range(0, 1012).Select(i => new ConsoleLogEntry { Message = "entry " + i }).ToList();

        var (kept, dropped, cut) = LogLimits.TrimConsole(entries, Limits);

        Assert.Equal(200, kept.Count);
        Assert.Equal(812, dropped);
        Assert.Equal(0, cut);
        Assert.Equal("entry 812", kept[0].Message);
        Assert.Equal("entry 1011", kept[^1].Message);
    }

    [Fact]
    public void Long_console_entries_are_cut_to_their_size()
    {
        var entries = new[] { new ConsoleLogEntry { Message = new string('é', 5000) } };

        var (kept, _, cut) = LogLimits.TrimConsole(entries, Limits);

        Assert.Equal(1, cut);
        Assert.True(Encoding.UTF8.GetByteCount(kept[0].Message) <= Limits.ConsoleLogEntryBytes);
        Assert.EndsWith(LogLimits.CutMarker, kept[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Newest_network_entries_are_kept_with_bodies_cut()
    {
        var entries = Enumerable.Range(0, 150).Select(i => new NetworkLogEntry
        {
            Url = "https://api.example/" + i,
            RequestBody = new string('x', 10_000),
            ResponseBody = "ok",
        }).ToList();

        var (kept, dropped, bodiesCut) = LogLimits.TrimNetwork(entries, Limits);

        Assert.Equal(100, kept.Count);
        Assert.Equal(50, dropped);
        Assert.Equal(100, bodiesCut);
        Assert.Equal("https://api.example/50", kept[0].Url);
        Assert.All(kept, e => Assert.True(Encoding.UTF8.GetByteCount(e.RequestBody!) <= Limits.NetworkLogBodyBytes));
        Assert.All(kept, e => Assert.Equal("ok", e.ResponseBody));
    }

    [Fact]
    public void Cut_never_splits_a_surrogate_pair()
    {
        var text = string.Concat(Enumerable.Repeat("😀", 2000));

        var cut = LogLimits.Cut(text, 101);

        Assert.True(Encoding.UTF8.GetByteCount(cut) <= 101);
        Assert.False(char.IsHighSurrogate(cut[^(LogLimits.CutMarker.Length + 1)]));
    }
}
