using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Api;

/// <summary>
/// Every request no other function takes: the host would answer an empty 404; the API answers in
/// its envelope — 405 <c>method_not_allowed</c> (with <c>Allow</c>) when another function serves the
/// path with other methods, 404 <c>not_found</c> otherwise. A catch-all route has the lowest
/// precedence, so it never shadows a function.
/// </summary>
public static class NotFoundFunction
{
    private static readonly Lazy<IReadOnlyList<(TemplateMatcher Matcher, string[] Methods)>> Routes = new(() =>
        FunctionCatalog.All
            .Where(f => f.HttpTrigger is { Route: not null } && f.Name != Name)
            .Select(f => (new TemplateMatcher(TemplateParser.Parse(f.HttpTrigger!.Route!), new RouteValueDictionary()),
                f.HttpTrigger.Methods!.Select(m => m.ToUpperInvariant()).ToArray()))
            .ToList());

    public const string Name = "NotFound";

    [Function(Name)]
    [ExcludeFromDescription]
    public static IResult Answer([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", "put", "patch", "delete", "options", Route = "{*path}")] HttpRequest req)
    {
        var allowed = Routes.Value
            .Where(r => r.Matcher.TryMatch(req.Path, new RouteValueDictionary()))
            .SelectMany(r => r.Methods)
            .Distinct()
            .ToList();
        if (allowed.Count == 0)
        {
            return ApiError.FromStatus(StatusCodes.Status404NotFound);
        }
        req.HttpContext.Response.Headers.Allow = string.Join(", ", allowed);
        return ApiError.FromStatus(StatusCodes.Status405MethodNotAllowed);
    }
}
