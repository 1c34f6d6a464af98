using System.Net;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Management;

/// <summary>
/// Every management endpoint × every role. The expectations are written out here by hand, from
/// the contract (viewers read; editors also write; admins also manage users, keys, widgets'
/// keys, webhooks and deletions), not derived from the code under test.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RoleMatrixTests(TrackelioApp app)
{
    private const string Fb = "fb_01m7zbbpetv64rmncqpgf9j990";
    private const string Usr = "usr_01m7zbbpetv64rmncqpgf9j990";
    private const string Key = "key_01m7zbbpetv64rmncqpgf9j990";
    private const string Whk = "whk_01m7zbbpetv64rmncqpgf9j990";
    private const string Whd = "whd_01m7zbbpetv64rmncqpgf9j990";
    private const string Srv = "srv_01m7zbbpetv64rmncqpgf9j990";
    private const string Ann = "ann_01m7zbbpetv64rmncqpgf9j990";
    private const string Rsp = "rsp_01m7zbbpetv64rmncqpgf9j990";
    private const string Conv = "conv_01m7zbbpetv64rmncqpgf9j990";

    /// <summary>(method, path, least role allowed). The widget id is filled in per workspace.</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/v1/feedback", "viewer" },
        { "POST", "/v1/feedback", "editor" },
        { "GET", $"/v1/feedback/{Fb}", "viewer" },
        { "GET", $"/v1/feedback/{Fb}/logs", "viewer" },
        { "PATCH", $"/v1/feedback/{Fb}", "editor" },
        { "DELETE", $"/v1/feedback/{Fb}", "admin" },
        { "GET", "/v1/users", "viewer" },
        { "POST", "/v1/users", "admin" },
        { "DELETE", $"/v1/users/{Usr}", "admin" },
        // Another member's: admins only (a member changes their own name and mails: MailTests).
        { "PATCH", $"/v1/users/{Usr}", "admin" },
        { "POST", $"/v1/users/{Usr}/resend-invitation", "admin" },
        { "GET", "/v1/workspace", "viewer" },
        { "GET", "/v1/auth/session", "viewer" },
        { "DELETE", "/v1/auth/session", "viewer" },
        { "PATCH", "/v1/workspace", "admin" },
        { "GET", "/v1/widgets", "viewer" },
        { "POST", "/v1/widgets", "admin" },
        { "GET", "/v1/widgets/{widget}", "viewer" },
        { "PATCH", "/v1/widgets/{widget}", "editor" },
        { "POST", "/v1/widgets/{widget}/pause", "editor" },
        { "POST", "/v1/widgets/{widget}/resume", "editor" },
        { "POST", "/v1/widgets/{widget}/rotate-key", "admin" },
        { "POST", "/v1/widgets/{widget}/rotate-identity-secret", "admin" },
        { "GET", "/v1/api-keys", "admin" },
        { "POST", "/v1/api-keys", "admin" },
        { "DELETE", $"/v1/api-keys/{Key}", "admin" },
        { "POST", $"/v1/api-keys/{Key}/rotate", "admin" },
        { "GET", "/v1/analytics/summary", "viewer" },
        { "GET", "/v1/responses", "viewer" },
        { "GET", $"/v1/responses/{Rsp}", "viewer" },
        { "GET", "/v1/surveys", "viewer" },
        { "POST", "/v1/surveys", "editor" },
        { "GET", $"/v1/surveys/{Srv}", "viewer" },
        { "PATCH", $"/v1/surveys/{Srv}", "editor" },
        { "POST", $"/v1/surveys/{Srv}/publish", "editor" },
        { "POST", $"/v1/surveys/{Srv}/close", "editor" },
        { "DELETE", $"/v1/surveys/{Srv}", "editor" },
        { "GET", $"/v1/surveys/{Srv}/results", "viewer" },
        { "GET", "/v1/announcements", "viewer" },
        { "POST", "/v1/announcements", "editor" },
        { "GET", $"/v1/announcements/{Ann}", "viewer" },
        { "PATCH", $"/v1/announcements/{Ann}", "editor" },
        { "POST", $"/v1/announcements/{Ann}/publish", "editor" },
        { "POST", $"/v1/announcements/{Ann}/unpublish", "editor" },
        { "DELETE", $"/v1/announcements/{Ann}", "editor" },
        { "GET", "/v1/conversations", "viewer" },
        { "GET", $"/v1/conversations/{Conv}", "viewer" },
        { "PATCH", $"/v1/conversations/{Conv}", "editor" },
        { "POST", $"/v1/conversations/{Conv}/messages", "editor" },
        { "POST", $"/v1/conversations/{Conv}/close", "editor" },
        { "POST", $"/v1/conversations/{Conv}/reopen", "editor" },
        { "GET", "/v1/webhooks", "admin" },
        { "POST", "/v1/webhooks", "admin" },
        { "GET", $"/v1/webhooks/{Whk}", "admin" },
        { "PATCH", $"/v1/webhooks/{Whk}", "admin" },
        { "DELETE", $"/v1/webhooks/{Whk}", "admin" },
        { "POST", $"/v1/webhooks/{Whk}/rotate-secret", "admin" },
        { "GET", $"/v1/webhooks/{Whk}/deliveries", "admin" },
        { "POST", $"/v1/webhooks/{Whk}/deliveries/{Whd}/replay", "admin" },
        { "GET", "/v1/privacy/export?user_id=u-1", "admin" },
        { "POST", "/v1/privacy/erase", "admin" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_role_gets_exactly_what_the_contract_allows(string method, string path, string leastRole)
    {
        var workspace = await app.CreateWorkspaceAsync();
        var url = path.Replace("{widget}", workspace.WidgetId, StringComparison.Ordinal);
        var rank = new Dictionary<string, int> { ["admin"] = 0, ["editor"] = 1, ["viewer"] = 2 };

        foreach (var role in new[] { TeamRole.Viewer, TeamRole.Editor, TeamRole.Admin })
        {
            var key = await app.CreateMemberKeyAsync(workspace, role);
            var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PATCH")
            {
                request.Content = Json.Body(new { });
            }
            request.Headers.Add("X-Confirm", "true");
            var response = await app.CreateManagementClient(key).SendAsync(request);

            var allowed = rank[role.ToString().ToLowerInvariant()] <= rank[leastRole];
            if (allowed)
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized or HttpStatusCode.MethodNotAllowed or HttpStatusCode.InternalServerError),
                    $"{role} {method} {path}: expected to be let through, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                await response.AssertErrorAsync(403, "insufficient_role");
            }
        }
    }

    [Fact]
    public void The_matrix_covers_every_management_endpoint()
    {
        var mapped = Trackelio.Functions.Api.FunctionCatalog.All
            .Where(f => f.Has<Trackelio.Functions.Management.Auth.ApiKeyAuthAttribute>())
            .Select(f => $"{f.HttpTrigger!.Methods![0].ToUpperInvariant()} /{f.HttpTrigger.Route!.TrimEnd('/')}")
            .Order()
            .ToList();
        var covered = Endpoints.Select(row => $"{row[0]} {Normalize((string)row[1])}").Order().ToList();

        Assert.Equal(mapped.Select(Normalize).Order(), covered);
    }

    private static string Normalize(string route) =>
        System.Text.RegularExpressions.Regex.Replace(route.Split('?')[0], @"\{[^}]+\}|(fb|usr|key|whk|whd|srv|ann|rsp|conv)_[0-9a-z]{26}", "{}");
}
