using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Trackelio.Functions.Messenger;

/// <summary>The opaque <c>after</c> cursor of a conversation's history: the last sequence the caller has.</summary>
public static class HistoryCursor
{
    public static string Encode(long sequence) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("s" + sequence.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out long sequence)
    {
        sequence = 0;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }
        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith('s') && long.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
