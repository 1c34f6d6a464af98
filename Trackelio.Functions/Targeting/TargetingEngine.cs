using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Targeting;

/// <summary>What a visitor's page tells targeting: <c>url</c>, <c>path</c>, <c>referrer</c>, <c>lang</c>, <c>user_id</c>, <c>email</c>, <c>custom.&lt;name&gt;</c>.</summary>
public sealed class TargetingContext(IReadOnlyDictionary<string, string?> attributes)
{
    public static readonly TargetingContext Empty = new(new Dictionary<string, string?>());

    public string? this[string attribute] => attributes.GetValueOrDefault(attribute);

    /// <summary>The attributes a widget GET sends as query values (<c>?path=…&amp;lang=…&amp;custom.plan=pro</c>).</summary>
    public static TargetingContext FromQuery(IQueryCollection query) => From(query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));

    /// <summary>The attributes among <paramref name="values"/> (others, empty and over-long values are left out).</summary>
    public static TargetingContext From(IEnumerable<KeyValuePair<string, string>> values)
    {
        var attributes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            if (TargetingEngine.IsAttribute(key) && value is { Length: > 0 and <= 2048 } text)
            {
                attributes[key] = text;
            }
        }
        // A full URL given without a path still targets by path.
        if (!attributes.ContainsKey("path") && attributes.GetValueOrDefault("url") is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            attributes["path"] = uri.AbsolutePath;
        }
        return new TargetingContext(attributes);
    }
}

/// <summary>
/// The one rule engine for surveys, announcements and the widget's own targeting (sent in the
/// widget config so the widget can evaluate the same rules). A rule is a condition —
/// <c>{ attribute, operator, value }</c> — or a group, <c>{ all: [...] }</c> / <c>{ any: [...] }</c>.
/// Operators: <c>equals</c>, <c>not_equals</c>, <c>contains</c>, <c>starts_with</c>, <c>ends_with</c>,
/// <c>matches</c> (a glob: <c>*</c> any run of characters, <c>?</c> one). Comparisons ignore case.
/// An attribute the visitor did not send matches only <c>not_equals</c>. No user-supplied
/// regular expression is ever executed.
/// </summary>
public static class TargetingEngine
{
    public static readonly string[] Operators = ["equals", "not_equals", "contains", "starts_with", "ends_with", "matches"];
    public static readonly string[] Attributes = ["url", "path", "referrer", "lang", "user_id", "email"];
    private const int MaxDepth = 5;
    private const int MaxRules = 50;

    public static bool IsAttribute(string name) =>
        Attributes.Contains(name) || (name.StartsWith("custom.", StringComparison.Ordinal) && name.Length is > 7 and <= 64);

    /// <summary>Whether the rule holds for the visitor; no rule targets everyone.</summary>
    public static bool Matches(TargetingRule? rule, TargetingContext context)
    {
        if (rule is null)
        {
            return true;
        }
        if (rule.All is { } all)
        {
            return all.All(r => Matches(r, context));
        }
        if (rule.Any is { } any)
        {
            return any.Any(r => Matches(r, context));
        }

        if (context[rule.Attribute ?? ""] is not { } value)
        {
            return rule.Operator == "not_equals";
        }
        var (actual, expected) = (Fold(value), Fold(rule.Value ?? ""));
        return rule.Operator switch
        {
            "equals" => actual == expected,
            "not_equals" => actual != expected,
            "contains" => actual.Contains(expected, StringComparison.Ordinal),
            "starts_with" => actual.StartsWith(expected, StringComparison.Ordinal),
            "ends_with" => actual.EndsWith(expected, StringComparison.Ordinal),
            "matches" => GlobFolded(actual, expected),
            _ => false,
        };
    }

    /// <summary>
    /// Case folded one UTF-16 unit at a time to its invariant lower case, so the length never changes and the widget's
    /// copy of this engine (<c>trackelio.js</c>: <c>toLowerCase()</c> per unit, keeping a unit whose lower case is longer)
    /// folds alike — checked for every unit by <c>TargetingEquivalenceTests</c>. (Upper case would not do: JavaScript
    /// has only the full mapping, which turns ᾀ into two letters where .NET's simple one makes ᾈ.)
    /// </summary>
    private static string Fold(string text) => string.Create(text.Length, text, static (folded, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            folded[i] = char.ToLowerInvariant(source[i]);
        }
    });

    /// <summary>
    /// <c>*</c> matches any run of characters, <c>?</c> exactly one, everything else itself (ignoring
    /// case). Linear-time two-pointer matching with backtracking to the last star: no regex, no
    /// catastrophic backtracking whatever the pattern.
    /// </summary>
    public static bool Glob(string text, string pattern) => GlobFolded(Fold(text), Fold(pattern));

    private static bool GlobFolded(string text, string pattern)
    {
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }

    /// <summary>Adds a field error for each malformed part of <paramref name="rule"/>.</summary>
    public static void Validate(TargetingRule? rule, FieldReader fields, string path)
    {
        var count = 0;
        Validate(rule, fields, path, 0, ref count);
        if (count > MaxRules)
        {
            fields.Fail(path, $"may hold at most {MaxRules} rules");
        }
    }

    private static void Validate(TargetingRule? rule, FieldReader fields, string path, int depth, ref int count)
    {
        if (rule is null)
        {
            return;
        }
        count++;
        if (depth > MaxDepth)
        {
            fields.Fail(path, $"nests deeper than {MaxDepth} groups");
            return;
        }
        var shapes = (rule.All is not null ? 1 : 0) + (rule.Any is not null ? 1 : 0) + (rule.Attribute is not null || rule.Operator is not null ? 1 : 0);
        if (shapes != 1)
        {
            fields.Fail(path, "must be either a condition {attribute, operator, value} or a group {all: [...]} / {any: [...]}");
            return;
        }
        if ((rule.All ?? rule.Any) is { } children)
        {
            var name = rule.All is not null ? "all" : "any";
            for (var i = 0; i < children.Count; i++)
            {
                Validate(children[i], fields, $"{path}.{name}[{i}]", depth + 1, ref count);
            }
            return;
        }
        if (rule.Attribute is null || !IsAttribute(rule.Attribute))
        {
            fields.Fail(path + ".attribute", "must be one of " + string.Join(", ", Attributes) + " or custom.<name>");
        }
        if (rule.Operator is null || !Operators.Contains(rule.Operator))
        {
            fields.Fail(path + ".operator", "must be one of " + string.Join(", ", Operators));
        }
        if (rule.Value is null || rule.Value.Length > 2048)
        {
            fields.Fail(path + ".value", "is required (at most 2048 characters)");
        }
    }
}
