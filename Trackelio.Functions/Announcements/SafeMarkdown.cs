using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Trackelio.Functions.Announcements;

/// <summary>
/// The Markdown subset announcements may use, rendered to HTML that can only contain what the
/// subset makes: paragraphs (blank line), line breaks, <c>**bold**</c>, <c>*italic*</c>,
/// <c>`code`</c>, <c>[text](https://…)</c> links (http and https only, opened in a new tab) and
/// <c>- </c> bullet lists. Everything else is text: the source is HTML-escaped first, so no HTML
/// from storage ever reaches the page. Raw HTML tags are refused when an announcement is saved.
/// </summary>
public static partial class SafeMarkdown
{
    public static bool ContainsHtml(string text) => HtmlTag().IsMatch(text);

    public static string ToHtml(string source)
    {
        var html = new StringBuilder();
        foreach (var block in source.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var lines = block.Split('\n');
            if (lines.All(l => l.TrimStart().StartsWith("- ", StringComparison.Ordinal)))
            {
                html.Append("<ul>");
                foreach (var line in lines)
                {
                    html.Append("<li>").Append(Inline(line.TrimStart()[2..])).Append("</li>");
                }
                html.Append("</ul>");
            }
            else
            {
                html.Append("<p>").Append(string.Join("<br>", lines.Select(Inline))).Append("</p>");
            }
        }
        return html.ToString();
    }

    private static string Inline(string text)
    {
        var escaped = WebUtility.HtmlEncode(text);
        escaped = Code().Replace(escaped, "<code>$1</code>");
        escaped = Link().Replace(escaped, m => $"<a href=\"{m.Groups[2].Value}\" rel=\"noopener noreferrer\" target=\"_blank\">{m.Groups[1].Value}</a>");
        escaped = Bold().Replace(escaped, "<strong>$1</strong>");
        return Italic().Replace(escaped, "<em>$1</em>");
    }

    [GeneratedRegex(@"<\s*[A-Za-z!/?]")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    // The URL is already HTML-escaped; only http(s) URLs without quotes or spaces become links.
    [GeneratedRegex(@"\[([^\]]+)\]\((https?://[^\s()""']+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?<![*\w])\*([^*]+)\*(?![*\w])")]
    private static partial Regex Italic();
}
