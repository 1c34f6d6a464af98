using System.Text.Json;

namespace Trackelio.Functions.Api;

/// <summary>
/// JSON allows text a .NET string cannot hold: an escaped lone surrogate (<c>"\ud800"</c>) or
/// raw bytes that are not UTF-8 both parse, and reading them as a string then throws. We decide
/// it once, where a body is read: such text anywhere in a body (values and names, in
/// <c>metadata</c> as much as in named fields) is a 400 naming the field, before any handler
/// sees the body.
/// </summary>
public static class JsonText
{
    public const string Issue = "must be valid Unicode text (no lone surrogates, no bytes that are not UTF-8)";
    private const int MaxReported = 20;

    /// <summary>Every place in <paramref name="root"/> holding text that is not Unicode (up to 20), by field path.</summary>
    public static IReadOnlyList<FieldError> FindInvalid(JsonElement root)
    {
        var errors = new List<FieldError>();
        Visit(root, "", errors);
        return errors;
    }

    private static void Visit(JsonElement element, string path, List<FieldError> errors)
    {
        if (errors.Count >= MaxReported)
        {
            return;
        }
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryRead(() => property.Name, out var name))
                    {
                        errors.Add(new FieldError(Join(path, "(name)"), Issue));
                        continue;
                    }
                    Visit(property.Value, Join(path, name), errors);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Visit(item, $"{(path.Length == 0 ? "body" : path)}[{index++}]", errors);
                }
                break;
            case JsonValueKind.String when !TryRead(element.GetString, out _):
                errors.Add(new FieldError(path.Length == 0 ? "body" : path, Issue));
                break;
        }
    }

    private static bool TryRead(Func<string?> read, out string value)
    {
        try
        {
            value = read() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            value = "";
            return false;
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;
}
