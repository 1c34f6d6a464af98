using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Trackelio.Functions.Feedback;
using YamlDotNet.RepresentationModel;

namespace Trackelio.Functions.Enrichment.UserAgents;

/// <summary>
/// Parses user agents with the ua-parser project's rules (<c>regexes.yaml</c> from the npm
/// package <c>uap-core</c>, embedded in this assembly): the first matching rule of each list
/// wins, and its replacements fill in <c>$1</c>…<c>$9</c> from the match. Results are cached,
/// since a site's visitors share few user agents.
/// </summary>
public sealed class UserAgentParser
{
    private const int MaxCached = 10_000;
    // Generous enough that a loaded machine never skips a rule a quiet one would match (the result
    // must not depend on load); still bounds a pathological agent.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(500);
    private readonly IReadOnlyList<Rule> _browsers;
    private readonly IReadOnlyList<Rule> _systems;
    private readonly IReadOnlyList<Rule> _devices;
    private readonly ConcurrentDictionary<string, ParsedUserAgent> _cache = new(StringComparer.Ordinal);

    public UserAgentParser(string regexesYaml)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(regexesYaml));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        _browsers = Rules(root, "user_agent_parsers");
        _systems = Rules(root, "os_parsers");
        _devices = Rules(root, "device_parsers");
    }

    public int RuleCount => _browsers.Count + _systems.Count + _devices.Count;

    /// <summary>The parser over the embedded uap-core rules.</summary>
    public static UserAgentParser FromEmbeddedRules()
    {
        using var stream = typeof(UserAgentParser).Assembly.GetManifestResourceStream("uap-core.regexes.yaml")
            ?? throw new InvalidOperationException("The uap-core rules are not embedded; build after 'npm ci'.");
        using var reader = new StreamReader(stream);
        return new UserAgentParser(reader.ReadToEnd());
    }

    public ParsedUserAgent Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return new ParsedUserAgent();
        }
        if (_cache.TryGetValue(userAgent, out var cached))
        {
            return cached;
        }

        var browser = FirstMatch(_browsers, userAgent);
        var os = FirstMatch(_systems, userAgent);
        var device = FirstMatch(_devices, userAgent);
        var parsed = new ParsedUserAgent
        {
            Browser = browser?.Fill("family_replacement", 1) ?? "Other",
            BrowserVersion = browser is null ? null : Version(browser.Fill("v1_replacement", 2), browser.Fill("v2_replacement", 3), browser.Fill("v3_replacement", 4)),
            Os = os?.Fill("os_replacement", 1) ?? "Other",
            OsVersion = os is null ? null : Version(os.Fill("os_v1_replacement", 2), os.Fill("os_v2_replacement", 3), os.Fill("os_v3_replacement", 4)),
            Device = device?.Fill("device_replacement", 1) ?? "Other",
            DeviceBrand = device?.Fill("brand_replacement", null),
            DeviceModel = device?.Fill("model_replacement", 1),
        };

        if (_cache.Count >= MaxCached)
        {
            _cache.Clear(); // crude, but bounded: the common agents come back within seconds
        }
        _cache.TryAdd(userAgent, parsed);
        return parsed;
    }

    private static string? Version(string? major, string? minor, string? patch) =>
        string.IsNullOrEmpty(major) ? null : string.Join('.', new[] { major, minor, patch }.TakeWhile(p => !string.IsNullOrEmpty(p)));

    private static Matched? FirstMatch(IReadOnlyList<Rule> rules, string userAgent)
    {
        foreach (var rule in rules)
        {
            try
            {
                var match = rule.Regex.Match(userAgent);
                if (match.Success)
                {
                    return new Matched(rule, match);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological agent does not get to stall the queue: treat the rule as not matching.
            }
        }
        return null;
    }

    private static List<Rule> Rules(YamlMappingNode root, string name)
    {
        var rules = new List<Rule>();
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode(name)]).Children.Cast<YamlMappingNode>())
        {
            var fields = node.Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value, StringComparer.Ordinal);
            var options = RegexOptions.CultureInvariant | (fields.GetValueOrDefault("regex_flag") == "i" ? RegexOptions.IgnoreCase : RegexOptions.None);
            try
            {
                rules.Add(new Rule(new Regex(fields["regex"]!, options, MatchTimeout), fields));
            }
            catch (ArgumentException)
            {
                // A rule in a dialect .NET does not read is skipped; the next rules still apply.
            }
        }
        return rules;
    }

    private sealed record Rule(Regex Regex, IReadOnlyDictionary<string, string?> Fields);

    private sealed record Matched(Rule Rule, Match Match)
    {
        /// <summary>The rule's replacement with <c>$n</c> filled in, or else capture group <paramref name="group"/>.</summary>
        public string? Fill(string replacementField, int? group)
        {
            if (Rule.Fields.GetValueOrDefault(replacementField) is { } replacement)
            {
                var filled = Regex.Replace(replacement, @"\$(\d)", m =>
                {
                    var index = m.Groups[1].Value[0] - '0';
                    return index < Match.Groups.Count ? Match.Groups[index].Value : "";
                }).Trim();
                return filled.Length == 0 ? null : filled;
            }
            return group is { } g && g < Match.Groups.Count && Match.Groups[g].Success && Match.Groups[g].Length > 0 ? Match.Groups[g].Value : null;
        }
    }
}
