using System.Net.Mail;
using System.Text.Json;

namespace Trackelio.Functions.Api;

/// <summary>
/// Reads fields of a JSON request body, collecting a <see cref="FieldError"/> for every bad
/// one (so a 400 lists them all, not just the first). A field that is absent or null reads
/// as null; a required one that is missing is an error.
/// </summary>
public sealed class FieldReader
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;
    public bool HasErrors => _errors.Count > 0;

    public void Fail(string field, string issue) => _errors.Add(new FieldError(field, issue));

    public static JsonElement? Get(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(JsonElement parent, string name, string path, int maxLength, bool required = false, bool trim = true)
    {
        var value = Get(parent, name);
        if (value is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.String)
        {
            Fail(path, "must be a string");
            return null;
        }
        var text = value.Value.GetString()!;
        if (trim)
        {
            text = text.Trim();
        }
        if (required && text.Length == 0)
        {
            Fail(path, "must not be empty");
            return null;
        }
        if (text.Length > maxLength)
        {
            Fail(path, $"must be at most {maxLength} characters");
            return null;
        }
        return text.Length == 0 ? null : text;
    }

    public int? Int(JsonElement parent, string name, string path, int min, int max, bool required = false)
    {
        var value = Get(parent, name);
        if (value is null)
        {
            if (required)
            {
                Fail(path, "is required");
            }
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetInt32(out var number) || number < min || number > max)
        {
            Fail(path, $"must be an integer from {min} to {max}");
            return null;
        }
        return number;
    }

    public double? Number(JsonElement parent, string name, string path, double min, double max)
    {
        var value = Get(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Number || !value.Value.TryGetDouble(out var number) || number < min || number > max)
        {
            Fail(path, $"must be a number from {min} to {max}");
            return null;
        }
        return number;
    }

    public bool? Bool(JsonElement parent, string name, string path)
    {
        var value = Get(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Fail(path, "must be true or false");
            return null;
        }
        return value.Value.GetBoolean();
    }

    public JsonElement? Object(JsonElement parent, string name, string path)
    {
        var value = Get(parent, name);
        if (value is { ValueKind: not JsonValueKind.Object })
        {
            Fail(path, "must be an object");
            return null;
        }
        return value;
    }

    public JsonElement? Array(JsonElement parent, string name, string path, int? maxItems = null)
    {
        var value = Get(parent, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            Fail(path, "must be an array");
            return null;
        }
        if (maxItems is { } max && value.Value.GetArrayLength() > max)
        {
            Fail(path, $"must have at most {max} items");
            return null;
        }
        return value;
    }

    public string? Email(JsonElement parent, string name, string path, bool required = false)
    {
        var email = String(parent, name, path, 320, required);
        if (email is not null && !IsEmail(email))
        {
            Fail(path, "must be an e-mail address");
            return null;
        }
        return email;
    }

    /// <summary>An absolute http(s) URL.</summary>
    public string? Url(JsonElement parent, string name, string path, int maxLength = 2048, bool required = false)
    {
        var url = String(parent, name, path, maxLength, required);
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            Fail(path, "must be an absolute http or https URL");
            return null;
        }
        return url;
    }

    /// <summary>A mail address as .NET reads it, with a dot in it and no control or whitespace character (which no mail library would write).</summary>
    public static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address) && address.Address == value && value.Contains('.', StringComparison.Ordinal)
        && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c));
}
