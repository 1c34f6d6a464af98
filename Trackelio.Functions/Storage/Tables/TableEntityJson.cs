using System.Globalization;
using System.Text.Json;
using Azure;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>Reads and writes entities in the Table service's JSON (minimal metadata) format.</summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    /// <summary>The entity as JSON; with <paramref name="writeId"/> in <see cref="TableClient.WriteIdColumn"/> when given.</summary>
    public static byte[] Serialize(TableEntity entity, string? writeId = null)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", entity.PartitionKey);
            writer.WriteString("RowKey", entity.RowKey);
            foreach (var (name, value) in entity.Properties)
            {
                if (name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal))
                {
                    continue;
                }
                if (name != TableClient.WriteIdColumn)
                {
                    WriteProperty(writer, name, value);
                }
            }
            if (writeId is not null)
            {
                writer.WriteString(TableClient.WriteIdColumn, writeId);
            }
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                break; // Table storage has no nulls: an absent property is the null.
            case string s:
                writer.WriteString(name, s);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case long l:
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // Typed explicitly: 2.0 is written as 2 and would read back as an Int32.
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                writer.WriteNumber(name, d);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case DateTimeOffset dto:
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                writer.WriteString(name, dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime dt:
                WriteProperty(writer, name, new DateTimeOffset(dt.ToUniversalTime()));
                break;
            case Guid g:
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                writer.WriteString(name, g.ToString("D"));
                break;
            case byte[] bytes:
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                writer.WriteBase64String(name, bytes);
                break;
            default:
                throw new ArgumentException($"Property '{name}' has type {value.GetType().Name}, which a table entity cannot hold.");
        }
    }

    public static TableEntity Deserialize(JsonElement element, string? etagHeader = null)
    {
        var entity = new TableEntity(
            element.GetProperty("PartitionKey").GetString() ?? "",
            element.GetProperty("RowKey").GetString() ?? "");

        var etag = etagHeader ?? (element.TryGetProperty("odata.etag", out var e) ? e.GetString() : null);
        if (etag is not null)
        {
            entity.ETag = new ETag(etag);
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            var type = element.TryGetProperty(name + TypeSuffix, out var t) ? t.GetString() : null;
            var value = ReadValue(property.Value, type);
            if (name == "Timestamp")
            {
                // Sent untyped by some servers: it is always a DateTime.
                entity.Timestamp = value as DateTimeOffset? ?? (value is string s ? (DateTimeOffset)ReadValue(property.Value, "Edm.DateTime")! : null);
                continue;
            }
            entity.Properties[name] = value;
        }
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? type) => type switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        "Edm.Guid" => Guid.Parse(value.GetString()!),
        "Edm.Binary" => value.GetBytesFromBase64(),
        "Edm.Double" => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) // "NaN", "Infinity"
            : value.GetDouble(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var i) => i,
            JsonValueKind.Number => value.GetDouble(),
            _ => null,
        },
    };
}
