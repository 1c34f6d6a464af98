using Trackelio.Functions.Api;
using Trackelio.Functions.Targeting;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Targeting;

public sealed class TargetingEngineTests
{
    private static readonly TargetingContext Visitor = new(new Dictionary<string, string?>
    {
        ["url"] = "https://shop.example/checkout/payment?step=2",
        ["path"] = "/checkout/payment",
        ["lang"] = "de",
        ["user_id"] = "u-42",
        ["email"] = "Ann@Example.com",
        ["custom.plan"] = "pro",
    });

    private static TargetingRule Rule(string attribute, string op, string value) => new() { Attribute = attribute, Operator = op, Value = value };

    public static TheoryData<string, string, string, bool> Conditions => new()
    {
        { "path", "equals", "/checkout/payment", true },
        { "path", "equals", "/CHECKOUT/payment", true },
        { "path", "equals", "/checkout", false },
        { "path", "not_equals", "/checkout", true },
        { "path", "not_equals", "/checkout/payment", false },
        { "url", "contains", "step=2", true },
        { "url", "contains", "step=3", false },
        { "path", "starts_with", "/checkout", true },
        { "path", "starts_with", "/cart", false },
        { "path", "ends_with", "/payment", true },
        { "path", "ends_with", "/shipping", false },
        { "path", "matches", "/checkout/*", true },
        { "path", "matches", "/check?ut/pay*", true },
        { "path", "matches", "*/pay", false },
        { "path", "matches", "*", true },
        { "email", "ends_with", "@example.com", true },
        { "lang", "equals", "de", true },
        { "custom.plan", "equals", "pro", true },
        { "custom.plan", "equals", "free", false },
        { "referrer", "equals", "https://google.com", false },   // not sent: only not_equals holds
        { "referrer", "contains", "", false },
        { "referrer", "not_equals", "https://google.com", true },
        { "custom.team", "starts_with", "a", false },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Each_operator_compares_as_documented(string attribute, string op, string value, bool expected)
    {
        Assert.Equal(expected, TargetingEngine.Matches(Rule(attribute, op, value), Visitor));
    }

    [Fact]
    public void All_needs_every_rule_and_any_needs_one()
    {
        var all = new TargetingRule { All = [Rule("lang", "equals", "de"), Rule("path", "starts_with", "/checkout")] };
        var allFails = new TargetingRule { All = [Rule("lang", "equals", "de"), Rule("path", "starts_with", "/cart")] };
        var any = new TargetingRule { Any = [Rule("lang", "equals", "fr"), Rule("custom.plan", "equals", "pro")] };
        var anyFails = new TargetingRule { Any = [Rule("lang", "equals", "fr"), Rule("custom.plan", "equals", "free")] };
        var nested = new TargetingRule { All = [any, new TargetingRule { Any = [Rule("user_id", "equals", "u-42")] }] };

        Assert.True(TargetingEngine.Matches(all, Visitor));
        Assert.False(TargetingEngine.Matches(allFails, Visitor));
        Assert.True(TargetingEngine.Matches(any, Visitor));
        Assert.False(TargetingEngine.Matches(anyFails, Visitor));
        Assert.True(TargetingEngine.Matches(nested, Visitor));
        Assert.True(TargetingEngine.Matches(null, Visitor));
        Assert.True(TargetingEngine.Matches(new TargetingRule { All = [] }, Visitor));
        Assert.False(TargetingEngine.Matches(new TargetingRule { Any = [] }, Visitor));
    }

    [Fact]
    public void Glob_with_many_stars_runs_in_linear_time_not_exponential()
    {
        var text = new string('a', 5000) + "b";
        var pattern = string.Concat(Enumerable.Repeat("*a", 200)) + "*c";

        Assert.False(TargetingEngine.Glob(text, pattern));
        Assert.True(TargetingEngine.Glob(text, "*a*b"));
    }

    [Fact]
    public void Regex_syntax_in_a_value_is_just_text()
    {
        Assert.False(TargetingEngine.Matches(Rule("path", "matches", "/check.*"), Visitor));
        Assert.True(TargetingEngine.Matches(Rule("path", "matches", "/checkout/payment"), Visitor));
    }

    [Fact]
    public void Malformed_rules_are_reported_with_their_path()
    {
        var fields = new FieldReader();
        var rule = new TargetingRule
        {
            All =
            [
                Rule("country", "equals", "DE"),
                Rule("path", "regex", "/x"),
                new TargetingRule { Attribute = "path", Operator = "equals", Any = [] },
                new TargetingRule { Attribute = "lang", Operator = "equals" },
            ],
        };

        TargetingEngine.Validate(rule, fields, "targeting");

        Assert.Equal(["targeting.all[0].attribute", "targeting.all[1].operator", "targeting.all[2]", "targeting.all[3].value"], fields.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Query_values_become_attributes_and_a_url_gives_its_path()
    {
        var query = new Microsoft.AspNetCore.Http.QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["url"] = "https://shop.example/cart?x=1",
            ["lang"] = "en",
            ["custom.plan"] = "pro",
            ["key"] = "pk_live_x",
        });

        var context = TargetingContext.FromQuery(query);

        Assert.Equal("/cart", context["path"]);
        Assert.Equal("pro", context["custom.plan"]);
        Assert.Null(context["key"]);
    }
}
