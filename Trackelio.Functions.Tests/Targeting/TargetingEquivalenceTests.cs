using System.Diagnostics;
using System.Text.Json;
using Trackelio.Functions.Api;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Targeting;

/// <summary>
/// The widget evaluates its own <c>targeting</c> in the browser, the server evaluates surveys' and announcements'
/// rules: both must read a rule alike. Thousands of random rules (every operator, nested groups, globs with
/// <c>*</c> and <c>?</c>, mixed case, missing attributes) over random pages are answered by
/// <see cref="TargetingEngine"/> and by the widget's own section of <c>trackelio.js</c> run in Node
/// (<c>scripts/widget-targeting-check.mjs</c>), and the answers compared one by one.
/// </summary>
public sealed class TargetingEquivalenceTests
{
    private static readonly string[] Operators = [.. TargetingEngine.Operators];
    private static readonly string[] Attributes = ["url", "path", "referrer", "lang", "user_id", "email", "custom.plan"];
    // Letters whose case is not simple: the Kelvin sign, dotted and dotless i, the three sigmas, the long s, ß.
    private static readonly string[] Pieces = ["/", "shop", "Shop", "a", "B", "é", "É", "-", ".", "ß", "42", "\u212A", "k", "K", "İ", "ı", "i", "I", "Σ", "σ", "ς", "ſ", "s", "ﬀ"];
    private static readonly string[] PatternPieces = [.. Pieces, "*", "?", "**"];

    [Fact]
    public async Task The_widget_and_the_server_answer_every_rule_alike()
    {
        var random = new Random(20261207);
        var cases = new List<(TargetingRule Rule, Dictionary<string, string?> Context)>();
        for (var i = 0; i < 6000; i++)
        {
            var context = new Dictionary<string, string?>();
            foreach (var attribute in Attributes.Where(_ => random.Next(4) > 0))
            {
                context[attribute] = Text(random, Pieces, random.Next(1, 6));
            }
            cases.Add((RandomRule(random, depth: 0), context));
        }
        var expected = cases.Select(c => TargetingEngine.Matches(c.Rule, new TargetingContext(c.Context))).ToList();

        var widget = await WidgetAnswersAsync(cases);

        Assert.Equal(cases.Count, widget.Count);
        var differing = Enumerable.Range(0, cases.Count).Where(i => widget[i] != expected[i]).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} of {cases.Count} rules are read differently, e.g. " + string.Join("\n", differing.Take(5).Select(i =>
            $"{JsonSerializer.Serialize(cases[i].Rule, TrackelioJson.Options)} on {JsonSerializer.Serialize(cases[i].Context)}: server {expected[i]}, widget {widget[i]}")));
        Assert.InRange(expected.Count(m => m), cases.Count / 10, cases.Count * 9 / 10); // the corpus is not all one answer
    }

    [Fact]
    public async Task Every_character_folds_alike_in_the_widget_and_the_server()
    {
        // Each UTF-16 unit outside the surrogates against its own upper and lower case, as the server's .NET casing has them.
        var cases = Enumerable.Range(0, 0x10000).Where(c => c is < 0xD800 or > 0xDFFF).Select(c => (char)c)
            .SelectMany(c => new[] { char.ToUpperInvariant(c), char.ToLowerInvariant(c) }.Select(other =>
                (new TargetingRule { Attribute = "path", Operator = "equals", Value = other.ToString() }, new Dictionary<string, string?> { ["path"] = c.ToString() })))
            .ToList();
        var expected = cases.Select(c => TargetingEngine.Matches(c.Item1, new TargetingContext(c.Item2))).ToList();

        var widget = await WidgetAnswersAsync(cases);

        var differing = Enumerable.Range(0, cases.Count).Where(i => widget[i] != expected[i]).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} characters fold differently, e.g. " + string.Join(", ", differing.Take(10).Select(i =>
            $"U+{(int)cases[i].Item2["path"]![0]:X4} equals U+{(int)cases[i].Item1.Value![0]:X4}: server {expected[i]}, widget {widget[i]}")));
    }

    private static TargetingRule RandomRule(Random random, int depth)
    {
        if (depth < 3 && random.Next(4) == 0)
        {
            var children = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomRule(random, depth + 1)).ToList();
            return random.Next(2) == 0 ? new TargetingRule { All = children } : new TargetingRule { Any = children };
        }
        var op = Operators[random.Next(Operators.Length)];
        return new TargetingRule
        {
            Attribute = Attributes[random.Next(Attributes.Length)],
            Operator = op,
            Value = Text(random, op == "matches" ? PatternPieces : Pieces, random.Next(0, 4)),
        };
    }

    /// <summary>Pieces, and now and then a random letter of Latin Extended, Greek or Cyrillic (U+00C0–U+04FF).</summary>
    private static string Text(Random random, string[] pieces, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(_ => random.Next(5) == 0 ? ((char)random.Next(0xC0, 0x500)).ToString() : pieces[random.Next(pieces.Length)]));

    private static async Task<List<bool>> WidgetAnswersAsync(List<(TargetingRule Rule, Dictionary<string, string?> Context)> cases)
    {
        var file = Path.Combine(Path.GetTempPath(), $"targeting-cases-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(cases.Select(c => new { rule = c.Rule, context = c.Context }), TrackelioJson.Options));
        try
        {
            var start = new ProcessStartInfo("node", [Path.Combine("scripts", "widget-targeting-check.mjs"), file])
            {
                WorkingDirectory = RepositoryRoot.Path,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start: install Node.js");
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"scripts/widget-targeting-check.mjs failed ({process.ExitCode}): {await errors}");
            return JsonSerializer.Deserialize<List<bool>>(await output)!;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
