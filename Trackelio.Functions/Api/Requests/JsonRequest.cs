using System.Text.Json;

namespace Trackelio.Functions.Api.Requests;

/// <summary>For request records that are plain data (survey and announcement definitions): read by the serializer.</summary>
public static class JsonRequest
{
    /// <summary>The body as a <typeparamref name="T"/>; a value of the wrong type is a field error naming it.</summary>
    public static T? Deserialize<T>(JsonElement body, FieldReader fields)
        where T : new()
    {
        try
        {
            return body.Deserialize<T>(TrackelioJson.Options) ?? new T();
        }
        catch (JsonException ex)
        {
            fields.Fail(ex.Path is { Length: > 2 } path ? path[2..] : "body", "has the wrong type or misses a required part");
            return default;
        }
    }
}
