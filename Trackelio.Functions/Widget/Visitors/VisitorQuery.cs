using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Targeting;

namespace Trackelio.Functions.Widget.Visitors;

/// <summary>
/// What a widget GET tells targeting about the visitor's page (<c>?path=…&amp;lang=…&amp;custom.plan=pro</c>):
/// the query of <c>GET /v1/widget/announcements</c>, and of <c>GET /v1/widget/survey</c> with its <c>id</c>.
/// Never a 400: an attribute that is too long is left out.
/// </summary>
public sealed record VisitorQuery(TargetingContext Context) : IQueryRequest<VisitorQuery>
{
    public static IReadOnlyList<QueryParameter> Parameters { get; } = Declare();

    public static VisitorQuery? Read(QueryReader query, FieldReader fields) => new(ContextOf(query));

    internal static IReadOnlyList<QueryParameter> Declare(params QueryParameter[] more) =>
    [
        .. more,
        new("url", "The page's URL (its path targets by path when path is absent)."),
        new("path", "The page's path."),
        new("referrer", "The page's referrer."),
        new("lang", "The visitor's language (texts in it when there are)."),
        new("user_id", "The visitor's user id, as the site knows them."),
        new("email", "The visitor's e-mail address."),
        new("custom.", "custom attributes the site's targeting rules name (custom.plan=pro).") { IsPrefix = true },
    ];

    internal static TargetingContext ContextOf(QueryReader query) => TargetingContext.From(
        TargetingEngine.Attributes.Select(name => KeyValuePair.Create(name, query[name] ?? "")).Concat(query.StartingWith("custom.")));
}
