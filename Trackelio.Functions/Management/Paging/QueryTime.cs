using System.Globalization;
using Trackelio.Functions.Api;

namespace Trackelio.Functions.Management.Paging;

/// <summary>Reads an RFC 3339 time from the query string (<c>from</c>, <c>to</c>).</summary>
public static class QueryTime
{
    public static DateTimeOffset? Read(HttpRequest request, string name, FieldReader fields)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
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
}
