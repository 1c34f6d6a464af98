using System.Globalization;
using System.Text;

namespace Trackelio.Functions.Storage.Tables;

/// <summary>
/// Builds OData filters from an interpolated string whose holes are typed values, each
/// written as an OData literal with its quotes escaped, so no value can change the
/// meaning of the query: <c>TableFilter.Create($"PartitionKey eq {workspaceId}")</c>.
/// </summary>
public static class TableFilter
{
    public static string Create(FormattableString filter)
    {
        var arguments = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, arguments);
    }

    /// <summary>The OData literal for one value.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset dto => "datetime'" + dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        DateTime dt => Literal(new DateTimeOffset(dt.ToUniversalTime())),
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        Enum e => Literal(e.ToString()),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be used in a table filter."),
    };

    /// <summary>Joins filters with <c>and</c>, each in parentheses; empty ones are left out.</summary>
    public static string? And(params string?[] filters)
    {
        var parts = filters.Where(f => !string.IsNullOrWhiteSpace(f)).ToList();
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => new StringBuilder().AppendJoin(" and ", parts.Select(p => "(" + p + ")")).ToString(),
        };
    }
}
