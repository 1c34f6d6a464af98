namespace Trackelio.Functions.Targeting;

/// <summary>Texts per language code; a visitor gets their language when it is there, else the default.</summary>
public static class Localized
{
    public static string? Pick(IReadOnlyDictionary<string, string>? texts, string? language, string defaultLanguage)
    {
        if (texts is null)
        {
            return null;
        }
        if (language is not null)
        {
            if (texts.TryGetValue(language, out var exact))
            {
                return exact;
            }
            // de-CH falls back to de before the default.
            var dash = language.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && texts.TryGetValue(language[..dash], out var general))
            {
                return general;
            }
        }
        return texts.GetValueOrDefault(defaultLanguage);
    }

    /// <summary>The language a visitor is served: theirs (or its base) when every text has it, else the default.</summary>
    public static string Resolve(string? language, string defaultLanguage, IEnumerable<IReadOnlyDictionary<string, string>?> texts)
    {
        var all = texts.Where(t => t is not null).ToList();
        if (language is null)
        {
            return defaultLanguage;
        }
        if (all.All(t => t!.ContainsKey(language)))
        {
            return language;
        }
        var dash = language.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && all.All(t => t!.ContainsKey(language[..dash])) ? language[..dash] : defaultLanguage;
    }
}
