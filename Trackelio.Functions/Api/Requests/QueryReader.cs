using System.Globalization;

namespace Trackelio.Functions.Api.Requests;

/// <summary>
/// The query string as a request record may read it: only the parameters the record declares
/// (reading another name throws, so an undeclared parameter fails every test that reaches it
/// instead of slipping past the document).
/// </summary>
public sealed class QueryReader(HttpRequest request, IReadOnlyList<QueryParameter> declared)
{
    public PathString Path => request.Path;

    /// <summary>The value, or null when absent or empty.</summary>
    public string? this[string name]
    {
        get
        {
            Declared(name, prefix: false);
            return request.Query[name].ToString() is { Length: > 0 } value ? value : null;
        }
    }

    /// <summary>Every parameter whose name starts with <paramref name="prefix"/> (declared as a prefix), with its value.</summary>
    public IEnumerable<KeyValuePair<string, string>> StartingWith(string prefix)
    {
        Declared(prefix, prefix: true);
        return request.Query.Where(q => q.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(q => KeyValuePair.Create(q.Key, q.Value.ToString()));
    }

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>, <paramref name="fallback"/> when absent; a bad one is a field error.</summary>
    public int Int(string name, int min, int max, int fallback, FieldReader fields, string? issue = null)
    {
        if (this[name] is not { } text)
        {
            return fallback;
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        fields.Fail(name, issue ?? $"must be an integer from {min} to {max}");
        return fallback;
    }

    /// <summary>An RFC 3339 time (<c>from</c>, <c>to</c>), in UTC; a bad one is a field error.</summary>
    public DateTimeOffset? Time(string name, FieldReader fields)
    {
        if (this[name] is not { } text)
        {
            return null;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.ToUniversalTime();
        }
        fields.Fail(name, "must be an RFC 3339 time, e.g. 2025-01-14T09:41:22Z");
        return null;
    }

    /// <summary>Every parameter as sent (for a list's links and its cursor's fingerprint).</summary>
    public IEnumerable<KeyValuePair<string, string>> All() => request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString()));

    private void Declared(string name, bool prefix)
    {
        if (!declared.Any(p => p.Name == name && p.IsPrefix == prefix))
        {
            throw new InvalidOperationException($"The query parameter '{name}' is read but not declared in the record's Parameters (so the OpenAPI document would miss it).");
        }
    }
}
