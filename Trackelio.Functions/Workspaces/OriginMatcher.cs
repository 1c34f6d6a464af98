namespace Trackelio.Functions.Workspaces;

/// <summary>
/// Whether a request's <c>Origin</c> is one of a widget's allowed origins: exact origins
/// (<c>https://shop.example</c>), subdomain wildcards (<c>https://*.example.com</c>, which
/// match <c>https://a.example.com</c> and <c>https://a.b.example.com</c> but not
/// <c>https://example.com</c>), or <c>*</c> for any origin. Schemes and ports must match;
/// hosts compare case-insensitively; default ports may be written or left out.
/// </summary>
public static class OriginMatcher
{
    public static bool IsAllowed(string origin, IEnumerable<string> allowedOrigins)
    {
        if (!TryParse(origin, out var request) || request.Host.Contains('*', StringComparison.Ordinal))
        {
            return false;
        }
        foreach (var allowed in allowedOrigins)
        {
            if (allowed == "*")
            {
                return true;
            }
            if (!TryParse(allowed, out var pattern) || pattern.Scheme != request.Scheme || pattern.Port != request.Port)
            {
                continue;
            }
            if (pattern.Host.StartsWith("*.", StringComparison.Ordinal)
                ? request.Host.EndsWith(pattern.Host[1..], StringComparison.Ordinal) && request.Host.Length > pattern.Host.Length - 1
                : request.Host == pattern.Host)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>An origin or origin pattern in canonical form (<c>https://shop.example</c>), or null when it is not one.</summary>
    public static string? Normalize(string value)
    {
        if (value == "*")
        {
            return value;
        }
        return TryParse(value, out var o) ? $"{o.Scheme}://{o.Host}{(o.Port == DefaultPort(o.Scheme) ? "" : ":" + o.Port)}" : null;
    }

    private static bool TryParse(string value, out (string Scheme, string Host, int Port) origin)
    {
        origin = default;
        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return false;
        }
        var scheme = value[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return false;
        }
        var authority = value[(schemeEnd + 3)..].TrimEnd('/');
        if (authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0)
        {
            return false;
        }

        var port = DefaultPort(scheme);
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && authority[^1] != ']')
        {
            if (!int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                return false;
            }
            authority = authority[..colon];
        }

        var host = authority.ToLowerInvariant();
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        var bare = wildcard ? host[2..] : host;
        if (bare.Length == 0 || bare.Contains('*', StringComparison.Ordinal) || Uri.CheckHostName(bare) == UriHostNameType.Unknown)
        {
            return false;
        }
        origin = (scheme, host, port);
        return true;
    }

    private static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;
}
