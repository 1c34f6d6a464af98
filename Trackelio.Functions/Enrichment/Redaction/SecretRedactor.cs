using System.Text.RegularExpressions;

namespace Trackelio.Functions.Enrichment.Redaction;

/// <summary>
/// Removes secrets from captured logs before they are stored for good: Authorization, Cookie
/// and similar headers; <c>password</c>/<c>token</c>/<c>secret</c>/<c>api_key</c> fields in JSON,
/// query strings, forms and plain text; bearer and basic credentials; JWTs; and card numbers
/// (13–19 digits that pass the Luhn check). Each replacement says what it replaced, so a
/// reader knows something was there.
/// </summary>
public static partial class SecretRedactor
{
    public const string Redacted = "[REDACTED]";
    public const string RedactedCard = "[REDACTED CARD]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token", "x-csrf-token", "x-xsrf-token",
    };

    /// <summary>Whether a header's value is a secret as a whole.</summary>
    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name) || SecretName().IsMatch(name);

    /// <summary>The text with every secret it holds replaced; <paramref name="count"/> says how many.</summary>
    public static string Redact(string text, out int count)
    {
        var found = 0;
        var result = JsonSecretField().Replace(text, m => { found++; return $"{m.Groups["key"].Value}\"{Redacted}\""; });
        result = Credentials().Replace(result, m => { found++; return $"{m.Groups["scheme"].Value} {Redacted}"; });
        result = Jwt().Replace(result, _ => { found++; return Redacted; });
        result = AssignedSecret().Replace(result, m => { found++; return $"{m.Groups["key"].Value}{m.Groups["sep"].Value}{Redacted}"; });
        result = CardCandidate().Replace(result, m =>
        {
            if (!IsCardNumber(m.Value))
            {
                return m.Value;
            }
            found++;
            return RedactedCard;
        });
        count = found;
        return result;
    }

    public static string? RedactInto(string? text, ref int count)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        var redacted = Redact(text, out var found);
        count += found;
        return redacted;
    }

    /// <summary>A card network's prefix and length (so timestamps and order numbers are not cards), and a valid Luhn check digit.</summary>
    internal static bool IsCardNumber(string candidate)
    {
        var digits = string.Concat(candidate.Where(char.IsAsciiDigit));
        var knownNetwork = digits.Length switch
        {
            13 or 16 or 19 when digits[0] == '4' => true, // Visa
            16 when digits[..2] is "51" or "52" or "53" or "54" or "55" => true, // Mastercard
            16 when int.Parse(digits[..4], System.Globalization.CultureInfo.InvariantCulture) is >= 2221 and <= 2720 => true,
            15 when digits[..2] is "34" or "37" => true, // American Express
            14 when digits[..2] is "36" or "38" || digits[..3] is "300" or "301" or "302" or "303" or "304" or "305" => true, // Diners
            >= 16 and <= 19 when digits.StartsWith("6011", StringComparison.Ordinal) || digits.StartsWith("65", StringComparison.Ordinal)
                || digits[..3] is "644" or "645" or "646" or "647" or "648" or "649" => true, // Discover
            >= 16 and <= 19 when digits[..2] is "35" or "62" => true, // JCB, UnionPay
            _ => false,
        };
        return knownNetwork && PassesLuhn(digits);
    }

    internal static bool PassesLuhn(string candidate)
    {
        Span<int> digits = stackalloc int[19];
        var length = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (length == digits.Length)
                {
                    return false;
                }
                digits[length++] = c - '0';
            }
        }
        if (length < 13)
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < length; i++)
        {
            var digit = digits[length - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }

    // A safety net, not a budget: every input is a bounded log entry (2 KiB) that these linear
    // patterns match in microseconds. A short timeout turned scheduler stalls on a loaded machine
    // into failed enrichments; a second is far above any real match and still stops a runaway one.
    private const int MatchTimeoutMs = 1000;

    private const string SecretWords = @"(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|auth(?:orization)?|session[_-]?id|private[_-]?key|client[_-]?secret|credential)";

    [GeneratedRegex("(?i)^[a-z0-9_-]*" + SecretWords + "[a-z0-9_-]*$", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex SecretName();

    // "password": "…" (any key containing a secret word), in JSON.
    [GeneratedRegex(@"(?<key>""[^""\\]{0,64}" + SecretWords + @"[^""\\]{0,64}""\s*:\s*)""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex JsonSecretField();

    // password=…, token: …, ?api_key=… in query strings, forms and text; stops at a separator.
    [GeneratedRegex(@"(?<key>(?<![a-z0-9])[a-z0-9_-]{0,32}" + SecretWords + @"[a-z0-9_-]{0,32})(?<sep>\s*[:=]\s*)(?!\[REDACTED)(?<value>[^\s&,;""'<>#]+)", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex AssignedSecret();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|Token))\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex Credentials();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex CardCandidate();
}
