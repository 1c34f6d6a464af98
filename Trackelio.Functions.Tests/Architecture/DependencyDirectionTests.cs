using System.Text.RegularExpressions;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Architecture;

/// <summary>
/// Dependencies between the app's top-level folders point one way: HTTP surfaces → domain
/// modules → storage → primitives. Read from the <c>using</c> lines and qualified names
/// (<c>Trackelio.Functions.X</c>, or <c>X.Y</c> from inside the app's namespace) of every source file.
/// </summary>
public sealed partial class DependencyDirectionTests
{
    /// <summary>The layering, as data: a folder may use folders of a lower layer, and folders of its own layer without a cycle.</summary>
    private static readonly Dictionary<string, int> Layers = new()
    {
        // Primitives: the API conventions (envelope, errors, JSON, ids).
        ["Api"] = 0,
        // Storage clients and table/blob/queue building blocks.
        ["Storage"] = 1,
        // The storage-shared rate limiter: storage only.
        ["RateLimiting"] = 1,
        // Tenancy every module builds on: workspaces, team, keys, widgets and their config.
        ["Workspaces"] = 2,
        // The runtime: queue functions' plumbing (the runner, poison handling), telemetry.
        ["Hosting"] = 3,
        // Domain modules.
        ["Attachments"] = 4,
        ["Targeting"] = 4,
        ["Mail"] = 4,
        ["Webhooks"] = 4,
        ["Feedback"] = 4,
        ["Responses"] = 4,
        ["Messenger"] = 4,
        ["Surveys"] = 4,
        ["Announcements"] = 4,
        ["Enrichment"] = 4,
        // HTTP surfaces.
        ["Widget"] = 5,
        ["Management"] = 5,
        ["Dashboard"] = 5,
        // The composition root: every module registered, the app's commands, the document of all functions.
        ["Composition"] = 6,
    };

    private static readonly string Source = Path.Combine(RepositoryRoot.Path, "Trackelio.Functions");

    [Fact]
    public void Every_top_level_folder_has_a_layer()
    {
        var unknown = Folders().Where(f => !Layers.ContainsKey(f)).ToList();
        Assert.True(unknown.Count == 0, "Give these folders a layer in DependencyDirectionTests.Layers: " + string.Join(", ", unknown));
    }

    [Fact]
    public void No_folder_depends_on_a_higher_layer()
    {
        var upward = Edges()
            .Where(e => Layers.TryGetValue(e.From, out var from) && Layers.TryGetValue(e.To, out var to) && to > from)
            .Select(e => $"{e.From} → {e.To} ({e.File})")
            .ToList();
        Assert.True(upward.Count == 0, "Dependencies pointing up:\n" + string.Join("\n", upward));
    }

    [Fact]
    public void No_cycle_among_top_level_folders()
    {
        var edges = Edges().ToList();
        var graph = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToHashSet());
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, cycle is null ? "" : "Cycle: " + string.Join(" → ", cycle) + "\n" + string.Join("\n",
            cycle.Zip(cycle.Skip(1)).Select(p => $"{p.First} → {p.Second}: " + string.Join(", ", edges.Where(e => e.From == p.First && e.To == p.Second).Select(e => e.File).Distinct()))));
    }

    [Fact]
    public void The_check_sees_a_cycle_and_an_upward_edge()
    {
        // The checks themselves: a graph with a cycle is caught, one without is not.
        Assert.NotNull(FindCycle(new() { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"] }));
        Assert.Null(FindCycle(new() { ["A"] = ["B"], ["B"] = ["C"], ["C"] = [] }));
        Assert.Contains(Edges(), e => e.From == "Widget" && e.To == "Api");
    }

    private static IEnumerable<string> Folders() =>
        Directory.EnumerateDirectories(Source)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "Properties") && Directory.EnumerateFiles(Path.Combine(Source, name), "*.cs", SearchOption.AllDirectories).Any());

    private static IEnumerable<(string From, string To, string File)> Edges()
    {
        foreach (var folder in Folders())
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Source, folder), "*.cs", SearchOption.AllDirectories))
            {
                var text = File.ReadAllText(file);
                // Fully qualified names, and names qualified from inside Trackelio.Functions (Management.Analytics.X).
                var relative = new Regex(@"(?<![\w.""])(?<folder>" + string.Join("|", Layers.Keys) + @")\.(?=[A-Z])");
                foreach (var to in Reference().Matches(text).Concat(relative.Matches(text)).Select(m => m.Groups["folder"].Value).Distinct())
                {
                    if (to != folder)
                    {
                        yield return (folder, to, Path.GetRelativePath(Source, file));
                    }
                }
            }
        }
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(); // 1: on the path, 2: done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }
        return null;
    }

    [GeneratedRegex(@"\bTrackelio\.Functions\.(?<folder>[A-Z][A-Za-z]*)\b")]
    private static partial Regex Reference();
}
