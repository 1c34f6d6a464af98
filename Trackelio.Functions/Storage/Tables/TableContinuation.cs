using System.Buffers.Text;
using System.Text;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>The service's two continuation headers folded into one opaque token.</summary>
internal static class TableContinuation
{
    public static string? Encode(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey)
            ? null
            : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(nextPartitionKey + "\n" + (nextRowKey ?? "")));

    public static (string PartitionKey, string? RowKey)? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 2);
        return (parts[0], parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null);
    }
}
