using System.Text;
using System.Text.RegularExpressions;

namespace Trackelio.Functions.Tests.Infra;

/// <summary>
/// A Bicep file read as text, for tests that hold infra/ against the app without the Bicep
/// compiler (it cannot be installed here). It knows Bicep's lexical rules that matter for
/// structure: single-quoted strings with <c>\'</c> escapes and <c>${…}</c> interpolations (which may
/// hold strings of their own), and <c>//</c> and <c>/* */</c> comments. On top of that it finds the
/// declarations (<c>param</c>, <c>output</c>, <c>resource</c>, <c>module</c>, <c>var</c>) and reads
/// object properties by path.
/// </summary>
internal sealed partial class BicepFile
{
    private readonly bool[] _isCode;

    private BicepFile(string path, string text)
    {
        Path = path;
        Text = text;
        (Stripped, Masked, _isCode, LexicalError) = Scan(text);
    }

    public string Path { get; }

    /// <summary>The file as written.</summary>
    public string Text { get; }

    /// <summary>The file with comments blanked out (same length, same positions).</summary>
    public string Stripped { get; }

    /// <summary>
    /// The file with comments blanked and every string's content (interpolations included) replaced
    /// by '_', quotes kept: declarations are found in this, their values read from <see cref="Stripped"/>.
    /// </summary>
    public string Masked { get; }

    /// <summary>Why the file does not scan (an unterminated string or comment, a stray closing brace), or null.</summary>
    public string? LexicalError { get; }

    public static BicepFile Load(string path) => new(path, File.ReadAllText(path));

    public static BicepFile Parse(string text) => new("(text)", text);

    /// <summary>The first unbalanced brace, bracket or parenthesis outside strings and comments, or null when all pair up.</summary>
    public string? UnbalancedDelimiter()
    {
        var stack = new Stack<(char Open, int At)>();
        for (var i = 0; i < Stripped.Length; i++)
        {
            if (!_isCode[i])
            {
                continue;
            }
            var c = Stripped[i];
            if (c is '{' or '[' or '(')
            {
                stack.Push((c, i));
            }
            else if (c is '}' or ']' or ')')
            {
                var expected = c switch { '}' => '{', ']' => '[', _ => '(' };
                if (stack.Count == 0 || stack.Peek().Open != expected)
                {
                    return $"'{c}' at line {LineOf(i)} closes nothing it matches";
                }
                stack.Pop();
            }
        }
        return stack.Count == 0 ? null : $"'{stack.Peek().Open}' at line {LineOf(stack.Peek().At)} is never closed";
    }

    public IReadOnlyList<BicepParam> Params() =>
        [.. ParamPattern().Matches(Masked).Select(m => new BicepParam(
            Value(m.Groups["name"]),
            Value(m.Groups["type"]),
            m.Groups["default"].Success ? Value(m.Groups["default"]).Trim() : null,
            Decorators(Value(m.Groups["decorators"]))))];

    public IReadOnlyList<BicepOutput> Outputs() =>
        [.. OutputPattern().Matches(Masked).Select(m => new BicepOutput(
            Value(m.Groups["name"]),
            Value(m.Groups["type"]),
            Value(m.Groups["value"]).Trim(),
            Decorators(Value(m.Groups["decorators"]))))];

    /// <summary>Every resource, nested ones included (their type is the short child type, e.g. <c>config</c>).</summary>
    public IReadOnlyList<BicepResource> Resources() =>
        [.. ResourcePattern().Matches(Masked).Select(m =>
        {
            var open = m.Index + m.Length - 1;
            return new BicepResource(Value(m.Groups["symbol"]), Value(m.Groups["type"]), m.Groups["existing"].Success,
                m.Groups["condition"].Success ? Value(m.Groups["condition"]).Trim() : null, BlockAt(open));
        })];

    public IReadOnlyList<BicepModule> Modules() =>
        [.. ModulePattern().Matches(Masked).Select(m =>
        {
            var open = m.Index + m.Length - 1;
            var body = BlockAt(open);
            var parameters = Parse(body).Property("params") is { } p ? Parse(p).TopLevelProperties() : new Dictionary<string, string>();
            return new BicepModule(Value(m.Groups["symbol"]), Value(m.Groups["path"]), body, parameters);
        })];

    /// <summary>The expression a top-level <c>var</c> is set to.</summary>
    public string Var(string name)
    {
        var match = VarPattern().Matches(Masked).FirstOrDefault(m => Value(m.Groups["name"]) == name)
            ?? throw new InvalidOperationException($"{Path} has no var {name}.");
        var start = match.Index + match.Length;
        while (start < Stripped.Length && Stripped[start] == ' ')
        {
            start++;
        }
        return ValueFrom(start).Trim();
    }

    /// <summary>This text's properties at its top level (it is one object block, braces included).</summary>
    public Dictionary<string, string> TopLevelProperties()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var open = Array.FindIndex(_isCode, 0, c => c) is var first and >= 0 ? Masked.IndexOf('{', first) : -1;
        if (open < 0)
        {
            return result;
        }
        var depth = 0;
        for (var i = open; i < Stripped.Length; i++)
        {
            if (!_isCode[i])
            {
                continue;
            }
            var c = Stripped[i];
            if (c is '{' or '[' or '(')
            {
                depth++;
                continue;
            }
            if (c is '}' or ']' or ')')
            {
                if (--depth == 0)
                {
                    break;
                }
                continue;
            }
            if (depth == 1 && IsLineStart(i) && PropertyName().Match(Masked, i) is { Success: true } name && name.Index == i)
            {
                var key = Value(name.Groups["key"]).Trim('\'');
                var valueStart = i + name.Length;
                var value = ValueFrom(valueStart);
                result[key] = value.Trim();
                i = valueStart + value.Length - 1;
            }
        }
        return result;
    }

    /// <summary>The value at a dotted path of properties inside this object block, or null.</summary>
    public string? Property(string path)
    {
        string? current = Stripped;
        foreach (var part in path.Split('.'))
        {
            if (current is null || !Parse(current).TopLevelProperties().TryGetValue(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    /// <summary>The elements of an array literal, one per line, as written.</summary>
    public static IReadOnlyList<string> ArrayItems(string arrayLiteral)
    {
        var inner = arrayLiteral.Trim();
        if (!inner.StartsWith('[') || !inner.EndsWith(']'))
        {
            throw new FormatException($"Not an array literal: {arrayLiteral}");
        }
        var wrapped = Parse("{\n" + string.Join('\n', SplitTopLevelLines(inner[1..^1]).Select((item, n) => $"i{n}: {item}")) + "\n}");
        return [.. wrapped.TopLevelProperties().Values];
    }

    /// <summary>A single-quoted string literal's value (no interpolation), or null when the expression is something else.</summary>
    public static string? StringLiteral(string expression)
    {
        var match = StringLiteralPattern().Match(expression.Trim());
        return match.Success ? match.Groups["value"].Value.Replace("\\'", "'", StringComparison.Ordinal) : null;
    }

    private static IEnumerable<string> SplitTopLevelLines(string body)
    {
        var file = Parse(body);
        var depth = 0;
        var current = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = file.Stripped[i];
            if (file._isCode[i])
            {
                depth += c is '{' or '[' or '(' ? 1 : c is '}' or ']' or ')' ? -1 : 0;
                if (c == '\n' && depth == 0)
                {
                    if (current.ToString().Trim().Length > 0)
                    {
                        yield return current.ToString().Trim();
                    }
                    current.Clear();
                    continue;
                }
            }
            current.Append(c);
        }
        if (current.ToString().Trim().Length > 0)
        {
            yield return current.ToString().Trim();
        }
    }

    private bool IsLineStart(int i)
    {
        for (var j = i - 1; j >= 0 && Stripped[j] != '\n'; j--)
        {
            if (Stripped[j] is not (' ' or '\t' or '{'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>An expression starting at <paramref name="start"/>: to the end of its line, or of the block it opens.</summary>
    private string ValueFrom(int start)
    {
        var depth = 0;
        var i = start;
        for (; i < Stripped.Length; i++)
        {
            if (!_isCode[i])
            {
                continue;
            }
            var c = Stripped[i];
            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                if (depth == 0)
                {
                    break;
                }
                depth--;
            }
            else if (c == '\n' && depth == 0)
            {
                break;
            }
        }
        return Stripped[start..i];
    }

    private string BlockAt(int open)
    {
        var depth = 0;
        for (var i = open; i < Stripped.Length; i++)
        {
            if (!_isCode[i])
            {
                continue;
            }
            if (Stripped[i] is '{' or '[' or '(')
            {
                depth++;
            }
            else if (Stripped[i] is '}' or ']' or ')' && --depth == 0)
            {
                return Stripped[open..(i + 1)];
            }
        }
        throw new FormatException($"{Path}: the block at line {LineOf(open)} is never closed.");
    }

    private static Dictionary<string, string> Decorators(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Parse(text);
        foreach (Match match in DecoratorPattern().Matches(file.Masked))
        {
            var open = match.Index + match.Length - 1;
            var block = file.BlockAt(open);
            result[match.Groups["name"].Value] = block[1..^1].Trim();
        }
        return result;
    }

    private string Value(Group group) => Stripped.Substring(group.Index, group.Length);

    private int LineOf(int index) => Text.AsSpan(0, index).Count('\n') + 1;

    private enum Mode { Code, String, Interpolation }

    private static (string Stripped, string Masked, bool[] IsCode, string? Error) Scan(string text)
    {
        var stripped = text.ToCharArray();
        var masked = text.ToCharArray();
        var isCode = new bool[text.Length];
        var modes = new Stack<(Mode Mode, int Depth)>();
        modes.Push((Mode.Code, 0));
        for (var i = 0; i < text.Length; i++)
        {
            var (mode, depth) = modes.Peek();
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            // Inside a string (or an interpolation in one), everything but the outermost quotes is masked.
            var inString = modes.Count > 1;
            if (inString && c != '\n')
            {
                masked[i] = '_';
            }

            if (mode == Mode.String)
            {
                if (c == '\\')
                {
                    if (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        masked[i + 1] = '_';
                    }
                    i++;
                }
                else if (c == '\'')
                {
                    modes.Pop();
                    if (modes.Count == 1)
                    {
                        masked[i] = '\'';
                    }
                }
                else if (c == '$' && next == '{')
                {
                    modes.Push((Mode.Interpolation, 0));
                    masked[i + 1] = '_';
                    i++;
                }
                continue;
            }

            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    stripped[i] = ' ';
                    masked[i++] = ' ';
                }
                i--;
                continue;
            }
            if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return (new string(stripped), new string(masked), isCode, "a /* comment is never closed");
                }
                for (; i < end + 2; i++)
                {
                    stripped[i] = masked[i] = text[i] == '\n' ? '\n' : ' ';
                }
                i--;
                continue;
            }
            if (c == '\'')
            {
                modes.Push((Mode.String, 0));
                continue;
            }
            if (mode == Mode.Interpolation)
            {
                modes.Pop();
                if (!(c == '}' && depth == 0))
                {
                    modes.Push((Mode.Interpolation, depth + (c == '{' ? 1 : c == '}' ? -1 : 0)));
                }
                continue;
            }
            isCode[i] = true;
        }
        var error = modes.Count == 1 ? null : "a string or interpolation is never closed";
        return (new string(stripped), new string(masked), isCode, error);
    }

    [GeneratedRegex(@"(?<decorators>(?:@\w+\((?:[^()]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*\)\s*)*)^param\s+(?<name>\w+)\s+(?<type>[\w\[\]]+)(?:[ \t]*=[ \t]*(?<default>[^\r\n]+))?", RegexOptions.Multiline)]
    private static partial Regex ParamPattern();

    [GeneratedRegex(@"(?<decorators>(?:@\w+\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*)*)^output\s+(?<name>\w+)\s+(?<type>\w+)\s*=\s*(?<value>[^\r\n]+)", RegexOptions.Multiline)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^[ \t]*resource\s+(?<symbol>\w+)\s+'(?<type>[^']+)'\s*(?<existing>existing\s*)?=\s*(?:(?<condition>if\s*\([^\r\n]*?\))\s*)?[\[{]", RegexOptions.Multiline)]
    private static partial Regex ResourcePattern();

    [GeneratedRegex(@"^module\s+(?<symbol>\w+)\s+'(?<path>[^']+)'\s*=\s*(?:if\s*\([^\r\n]*?\)\s*)?\{", RegexOptions.Multiline)]
    private static partial Regex ModulePattern();

    [GeneratedRegex(@"^var\s+(?<name>\w+)\s*=", RegexOptions.Multiline)]
    private static partial Regex VarPattern();

    [GeneratedRegex(@"\G(?<key>\w+|'[^']*')\s*:")]
    private static partial Regex PropertyName();

    [GeneratedRegex(@"@(?<name>\w+)\(")]
    private static partial Regex DecoratorPattern();

    [GeneratedRegex(@"^'(?<value>(?:[^'\\$]|\\.|\$(?!\{))*)'$")]
    private static partial Regex StringLiteralPattern();
}

internal sealed record BicepParam(string Name, string Type, string? Default, IReadOnlyDictionary<string, string> Decorators);

internal sealed record BicepOutput(string Name, string Type, string Value, IReadOnlyDictionary<string, string> Decorators);

internal sealed record BicepResource(string Symbol, string Type, bool Existing, string? Condition, string Body)
{
    /// <summary>The value at a dotted property path in the resource's body, or null.</summary>
    public string? Property(string path) => BicepFile.Parse(Body).Property(path);
}

internal sealed record BicepModule(string Symbol, string Path, string Body, IReadOnlyDictionary<string, string> Params);
