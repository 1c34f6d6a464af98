using System.Text;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Feedback;

/// <summary>
/// Keeps captured logs within a widget's limits: the newest entries (logs arrive oldest
/// first), each console entry within its byte size, each network body within its byte size.
/// Trimming never rejects anything; it says what it cut.
/// </summary>
public static class LogLimits
{
    public const string CutMarker = "…[truncated]";
    private const int MaxHeaders = 50;
    private const int MaxHeaderValueBytes = 1024;
    private const int MaxUrlBytes = 4096;

    public static (IReadOnlyList<ConsoleLogEntry> Kept, int Dropped, int Cut) TrimConsole(IReadOnlyList<ConsoleLogEntry> entries, WidgetLimits limits)
    {
        var dropped = Math.Max(0, entries.Count - limits.ConsoleLogEntries);
        var cut = 0;
        var kept = new List<ConsoleLogEntry>(entries.Count - dropped);
        foreach (var entry in entries.Skip(dropped))
        {
            // The level and time take a few bytes of the entry's budget; the message gets the rest.
            var budget = Math.Max(64, limits.ConsoleLogEntryBytes - Encoding.UTF8.GetByteCount(entry.Level) - 64);
            var message = Cut(entry.Message, budget);
            if (!ReferenceEquals(message, entry.Message))
            {
                cut++;
            }
            kept.Add(entry with { Level = Cut(entry.Level, 32), Message = message });
        }
        return (kept, dropped, cut);
    }

    public static (IReadOnlyList<NetworkLogEntry> Kept, int Dropped, int BodiesCut) TrimNetwork(IReadOnlyList<NetworkLogEntry> entries, WidgetLimits limits)
    {
        var dropped = Math.Max(0, entries.Count - limits.NetworkLogEntries);
        var cut = 0;
        var kept = new List<NetworkLogEntry>(entries.Count - dropped);
        foreach (var entry in entries.Skip(dropped))
        {
            var request = CutNullable(entry.RequestBody, limits.NetworkLogBodyBytes);
            var response = CutNullable(entry.ResponseBody, limits.NetworkLogBodyBytes);
            cut += (ReferenceEquals(request, entry.RequestBody) ? 0 : 1) + (ReferenceEquals(response, entry.ResponseBody) ? 0 : 1);
            kept.Add(entry with
            {
                Method = CutNullable(entry.Method, 16),
                Url = CutNullable(entry.Url, MaxUrlBytes),
                RequestBody = request,
                ResponseBody = response,
                RequestHeaders = Headers(entry.RequestHeaders),
                ResponseHeaders = Headers(entry.ResponseHeaders),
            });
        }
        return (kept, dropped, cut);
    }

    /// <summary>The text itself when it fits in <paramref name="maxBytes"/> of UTF-8; otherwise its start and <see cref="CutMarker"/>.</summary>
    public static string Cut(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetMaxByteCount(text.Length) <= maxBytes || Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }
        var budget = maxBytes - Encoding.UTF8.GetByteCount(CutMarker);
        var length = Math.Min(text.Length, budget);
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > budget)
        {
            length = Math.Max(0, length - Math.Max(1, (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) - budget) / 3));
        }
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--; // never split a surrogate pair
        }
        return string.Concat(text.AsSpan(0, length), CutMarker);
    }

    private static string? CutNullable(string? text, int maxBytes) => text is null ? null : Cut(text, maxBytes);

    private static Dictionary<string, string>? Headers(IReadOnlyDictionary<string, string>? headers)
    {
        if (headers is null)
        {
            return null;
        }
        var kept = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers.Take(MaxHeaders))
        {
            kept.TryAdd(Cut(name, 256), Cut(value, MaxHeaderValueBytes));
        }
        return kept;
    }
}
