namespace Trackelio.Functions.Api.Requests;

/// <summary>The kinds of value a query parameter takes, as the OpenAPI document describes them.</summary>
public enum QueryValue
{
    String,
    Integer,
    DateTime,
}

/// <summary>
/// A query parameter an endpoint reads: declared once, by the record that reads it, and put into
/// the OpenAPI document from the endpoint's metadata. <see cref="QueryReader"/> refuses to read a
/// name that is not declared, so the document cannot miss one.
/// </summary>
public sealed record QueryParameter(string Name, string Description, QueryValue Type = QueryValue.String, bool Required = false)
{
    /// <summary>The values it may take, when they are a closed list.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>The methods it applies to (null: all the endpoint's), for a parameter a whole group declares.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Not one name but every name starting with <see cref="Name"/> (<c>custom.</c> attributes): described, not listed.</summary>
    public bool IsPrefix { get; init; }
}
