using Azure;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// One table entity: its keys, its ETag and its properties. Property values are
/// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="DateTimeOffset"/>, <see cref="Guid"/> or <see cref="byte"/>[];
/// the OData type of each travels with it.
/// </summary>
public sealed class TableEntity
{
    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }
    public string RowKey { get; }
    public ETag ETag { get; set; }
    public DateTimeOffset? Timestamp { get; set; }
    public Dictionary<string, object?> Properties { get; } = new(StringComparer.Ordinal);

    public object? this[string name]
    {
        get => Properties.GetValueOrDefault(name);
        set => Properties[name] = value;
    }

    public string? GetString(string name) => this[name] as string;

    public long? GetInt64(string name) => this[name] switch
    {
        long l => l,
        int i => i,
        _ => null,
    };

    public int? GetInt32(string name) => this[name] switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        _ => null,
    };

    public bool? GetBoolean(string name) => this[name] as bool?;
    public double? GetDouble(string name) => this[name] as double?;
    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] as DateTimeOffset?;
    public byte[]? GetBinary(string name) => this[name] as byte[];
}
