using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Management.Auth;

namespace Trackelio.Functions.Tests.Security;

/// <summary>
/// The role × endpoint table in docs/api.md is the one the code enforces. When an endpoint or a role
/// changes, this fails and prints the fresh table; <c>UPDATE_DOCS=1 scripts/test.sh --filter RoleTable</c>
/// writes it there.
/// </summary>
public sealed class RoleTableTests
{
    private const string Begin = "<!-- role-table:begin -->";
    private const string End = "<!-- role-table:end -->";

    [Fact]
    public void The_documented_role_table_matches_the_endpoints()
    {
        var fresh = RoleTable.Render();
        var path = Path.Combine(RepositoryRoot.Path, "docs", "api.md");
        var readme = File.ReadAllText(path);
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"docs/api.md has no {Begin} … {End} section.");
        var current = readme[(start + Begin.Length)..end].Trim('\n');

        if (current != fresh.TrimEnd('\n') && Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            File.WriteAllText(path, readme[..(start + Begin.Length)] + "\n" + fresh + readme[end..]);
            return;
        }

        Assert.True(current == fresh.TrimEnd('\n'), $"docs/api.md's role table differs from the code. The table the code enforces:\n\n{fresh}");
    }

    [Fact]
    public void The_table_shows_the_rules_the_contract_names()
    {
        var lines = RoleTable.Render().Split('\n');

        Assert.Contains("| `GET /v1/feedback` | ✓ | ✓ | ✓ |", lines);
        Assert.Contains("| `POST /v1/feedback` | — | ✓ | ✓ |", lines);
        Assert.Contains("| `DELETE /v1/feedback/{id}` | — | — | ✓ |", lines);
        Assert.Contains("| `POST /v1/api-keys` | — | — | ✓ |", lines);
        Assert.Contains("| `POST /v1/invitations/accept` | no key: the invitation token | | |", lines);
        // SPEC §4: viewer keys cannot call POST, PATCH or DELETE — but a viewer may end their own sign-in session
        // (it changes no data; docs/decisions.md).
        Assert.Contains("| `DELETE /v1/auth/session` | ✓ | ✓ | ✓ |", lines);
        Assert.DoesNotContain(lines, l => (l.StartsWith("| `POST", StringComparison.Ordinal) || l.StartsWith("| `PATCH", StringComparison.Ordinal)
            || l.StartsWith("| `DELETE", StringComparison.Ordinal)) && l.Contains("` | ✓ |", StringComparison.Ordinal) && !l.StartsWith("| `DELETE /v1/auth/session`", StringComparison.Ordinal));
    }
}
