using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trackelio.Functions.Hosting;

/// <summary>
/// Reads one value of a custom-handler invocation back into what the trigger carried. The
/// Functions host writes each trigger input and metadata value with
/// <c>ScriptInvocationContextExtensions.GetHttpScriptInvocationContextValue</c>
/// (azure-functions-host, <c>src/WebJobs.Script/Workers/MessageExtensions/</c>):
/// <list type="bullet">
/// <item><c>byte[]</c> → a base64 string (also with <c>dataType: binary</c>: the JSON formatter writes bytes as base64);</item>
/// <item><c>DateTime</c>/<c>DateTimeOffset</c> → an ISO 8601 string;</item>
/// <item>an object → a JSON object (<c>JObject.FromObject</c>);</item>
/// <item>anything else → <c>JsonConvert.SerializeObject(value)</c>, a JSON text held in a JSON string: a queue
/// message's text <c>{"a":1}</c> arrives as <c>"\"{\\\"a\\\":1}\""</c>, <c>DequeueCount</c> 1 as <c>"1"</c>,
/// <c>Id</c> as <c>"\"…guid…\""</c>.</item>
/// </list>
/// Which form a value has is decided by what it is, never by trying one and falling back to another:
/// a JSON object or array is the payload itself; a string starting with <c>"</c> is a JSON string
/// literal (the host's form for text); a string starting with <c>{</c> or <c>[</c> is the text itself
/// (the form hand-written invocations and older tooling use); any other string is base64 (it has
/// neither character), the form of a binary payload.
/// </summary>
public static class HostInvocationValue
{
    /// <summary>The queue message text a trigger value carries, or null when there is none.</summary>
    /// <exception cref="FormatException">The value is in none of the host's forms.</exception>
    public static string? MessageText(JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject or JsonArray:
                return value.ToJsonString();
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                var text = scalar.GetValue<string>();
                return text.TrimStart() switch
                {
                    ['"', ..] => JsonStringLiteral(text),
                    ['{' or '[', ..] => text,
                    _ => Base64Text(text),
                };
            default:
                return value.ToJsonString(); // a number or boolean is its own JSON text
        }
    }

    /// <summary>A metadata scalar as text: <c>"1"</c> → 1, <c>"\"abc\""</c> → abc, a number → its digits.</summary>
    /// <exception cref="FormatException">A value starting with <c>"</c> is not a whole JSON string literal.</exception>
    public static string? MetadataText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String => scalar.GetValue<string>() is var text && text.StartsWith('"')
            ? JsonStringLiteral(text)
            : text,
        _ => value.ToJsonString(),
    };

    /// <summary>A metadata integer (e.g. <c>DequeueCount</c>), or null when absent.</summary>
    /// <exception cref="FormatException">The value is not an integer in any of the host's forms.</exception>
    public static long? MetadataInteger(JsonNode? value) =>
        MetadataText(value) is { } text
            ? long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormatException($"'{text}' is not an integer.")
            : null;

    private static string JsonStringLiteral(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<string>(text) ?? throw new FormatException("The value is JSON null, not a string literal.");
        }
        catch (JsonException ex)
        {
            throw new FormatException("The value starts with '\"' but is not a JSON string literal: " + ex.Message, ex);
        }
    }

    private static string Base64Text(string text)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(text));
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            throw new FormatException("The value is neither JSON nor base64-encoded UTF-8 text.", ex);
        }
    }
}
