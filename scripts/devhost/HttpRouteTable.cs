using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;

namespace Trackelio.DevHost;

/// <summary>
/// The host's HTTP routes (WebScriptHostHttpRoutesManager → WebJobsRouteBuilder): "{routePrefix}/{route}"
/// per httpTrigger, inline constraints resolved by ASP.NET Core routing, the methods as an
/// HttpMethodRouteConstraint, most specific template first (RoutePrecedence).
/// </summary>
internal sealed class HttpRouteTable
{
    private readonly List<Entry> _entries;

    private sealed record Entry(IndexedFunction Function, TemplateMatcher Matcher, IReadOnlyDictionary<string, IRouteConstraint> Constraints);

    public HttpRouteTable(IEnumerable<IndexedFunction> functions, string routePrefix, IInlineConstraintResolver constraintResolver)
    {
        _entries = functions
            .Where(f => f.Route is not null)
            .Select(f =>
            {
                var template = TemplateParser.Parse(Combine(routePrefix, f.Route!));
                var constraints = new Dictionary<string, IRouteConstraint>(StringComparer.OrdinalIgnoreCase);
                foreach (var parameter in template.Parameters)
                {
                    foreach (var inline in parameter.InlineConstraints)
                    {
                        var constraint = constraintResolver.ResolveConstraint(inline.Constraint)
                            ?? throw new InvalidOperationException($"Function '{f.Name}': unknown route constraint '{inline.Constraint}'.");
                        constraints[parameter.Name!] = constraints.TryGetValue(parameter.Name!, out var existing)
                            ? new CompositeRouteConstraint([existing, constraint])
                            : constraint;
                    }
                }
                return (Precedence: RoutePrecedence.ComputeInbound(template), Entry: new Entry(f, new TemplateMatcher(template, Defaults(template)), constraints));
            })
            .OrderBy(e => e.Precedence)
            .Select(e => e.Entry)
            .ToList();
    }

    public static string Combine(string routePrefix, string route)
        => string.IsNullOrEmpty(routePrefix) ? route.TrimStart('/') : routePrefix.Trim('/') + "/" + route.TrimStart('/');

    /// <summary>The function whose route and methods match, with its route values; null is the host's 404.</summary>
    public (IndexedFunction Function, RouteValueDictionary Values)? Match(HttpContext context)
    {
        foreach (var entry in _entries)
        {
            var values = new RouteValueDictionary();
            if (!entry.Matcher.TryMatch(context.Request.Path, values))
            {
                continue;
            }
            if (!entry.Constraints.All(c => !values.ContainsKey(c.Key) && IsOptional(entry, c.Key)
                    || c.Value.Match(context, null, c.Key, values, RouteDirection.IncomingRequest)))
            {
                continue;
            }
            if (entry.Function.Methods.Count > 0 && !entry.Function.Methods.Contains(context.Request.Method.ToUpperInvariant()))
            {
                continue;
            }
            return (entry.Function, values);
        }
        return null;
    }

    private static bool IsOptional(Entry entry, string parameter)
        => entry.Matcher.Template.GetParameter(parameter) is { } p && (p.IsOptional || p.DefaultValue is not null || p.IsCatchAll);

    private static RouteValueDictionary Defaults(RouteTemplate template)
    {
        var defaults = new RouteValueDictionary();
        foreach (var parameter in template.Parameters.Where(p => p.DefaultValue is not null))
        {
            defaults[parameter.Name!] = parameter.DefaultValue;
        }
        return defaults;
    }
}
