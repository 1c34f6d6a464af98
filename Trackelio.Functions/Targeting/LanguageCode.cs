using System.Text.RegularExpressions;

namespace Trackelio.Functions.Targeting;

/// <summary>The language codes texts are keyed by (<c>en</c>, <c>de-CH</c>), for surveys, announcements and widget languages alike.</summary>
public static partial class LanguageCode
{
    public static bool IsValid(string? code) => code is not null && Pattern().IsMatch(code);

    [GeneratedRegex("^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")]
    private static partial Regex Pattern();
}
