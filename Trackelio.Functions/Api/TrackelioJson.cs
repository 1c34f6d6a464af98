using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Trackelio.Functions.Api;

/// <summary>The one JSON configuration: snake_case names and enum values, RFC 3339 times.</summary>
public static class TrackelioJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // Responses are JSON, never HTML: non-ASCII text stays readable instead of \uXXXX.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DictionaryKeyPolicy = null; // free-form maps (metadata, texts) keep their keys
        // A null where the type says never, or a missing constructor argument, is a bad request, not a crash later.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new UtcDateTimeOffsetConverter());
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver();
        return options;
    }

    /// <summary>Writes times as <c>2025-01-14T09:41:22Z</c> (UTC, with milliseconds when they are not zero).</summary>
    private sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset().ToUniversalTime();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        {
            var utc = value.UtcDateTime;
            writer.WriteStringValue(utc.ToString(utc.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
                System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
