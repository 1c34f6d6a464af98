using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Storage;
using Trackelio.Functions.Tests.Infrastructure;
using Trackelio.Functions.Workspaces;
using Xunit.Abstractions;

namespace Trackelio.Functions.Tests.Hardening;

/// <summary>
/// The standing proof that bad input never gets a 5xx and never changes storage: the hostile
/// corpus (<see cref="HostileCorpus"/>), generated from the route table, against the app on an
/// Azurite of its own so that the storage census sees nothing but this test.
/// </summary>
public sealed class HostileCorpusTests(CorpusApp corpus, ITestOutputHelper output) : IClassFixture<CorpusApp>
{
    [Fact]
    public async Task Every_hostile_request_gets_a_4xx_in_the_envelope_and_changes_nothing()
    {
        var requests = HostileCorpus.Build(corpus.Tenants).ToList();
        var before = await StorageCensus.TakeAsync(corpus.Storage);

        var failures = await RunAsync(requests);
        var after = await StorageCensus.TakeAsync(corpus.Storage);

        output.WriteLine($"{requests.Count} hostile requests over {requests.Select(r => r.Method + " " + r.Path.Split('?')[0]).Distinct().Count()} paths");
        Assert.True(requests.Count >= 1500, $"The corpus has only {requests.Count} requests.");
        Assert.True(failures.Count == 0, $"{failures.Count} hostile requests were not answered 4xx in the envelope:\n" + string.Join('\n', failures.Take(40)));
        Assert.Empty(StorageCensus.Diff(before, after));
    }

    [Fact]
    public async Task Invalid_strings_get_a_4xx_in_the_envelope()
    {
        var requests = HostileCorpus.BuildInvalidStrings(corpus.Tenants).ToList();

        var failures = await RunAsync(requests);

        Assert.NotEmpty(requests);
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(40)));
    }

    private async Task<List<string>> RunAsync(IReadOnlyList<HostileRequest> requests)
    {
        var failures = new List<string>();
        using var client = corpus.CreateClient();
        foreach (var request in requests)
        {
            using var response = await client.SendAsync(request.ToMessage());
            var status = (int)response.StatusCode;
            var problem = status is < 400 or >= 500 ? $"status {status}" : await EnvelopeProblemAsync(response);
            if (problem is not null)
            {
                var body = await response.Content.ReadAsStringAsync();
                failures.Add($"{request} → {problem}: {(body.Length > 300 ? body[..300] : body)}");
            }
        }
        return failures;
    }

    private static async Task<string?> EnvelopeProblemAsync(HttpResponseMessage response)
    {
        if (response.RequestMessage?.Method == HttpMethod.Head)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var meta = document.RootElement.GetProperty("meta");
            return document.RootElement.GetProperty("data").ValueKind == JsonValueKind.Null
                && meta.GetProperty("request_id").GetString()?.StartsWith("req_", StringComparison.Ordinal) == true
                && meta.GetProperty("error").GetProperty("code").GetString() is { Length: > 0 }
                ? null
                : "not the error envelope";
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "not the error envelope";
        }
    }
}

/// <summary>The app on an Azurite of its own, with two workspaces: the one attacked, and another to attack across.</summary>
public sealed class CorpusApp : TrackelioApp
{
    public CorpusTenants Tenants { get; private set; } = null!;

    /// <summary>The app's storage account, read straight from Azurite for the census.</summary>
    public StorageAccount Storage => Get<StorageAccount>();

    protected override Task<AzuriteServer> StartAzuriteAsync() => AzuriteServer.StartPrivateAsync();

    /// <summary>
    /// The seeding's outbox flush messages (a minute's delay by default) must not come due while the census runs: the
    /// corpus takes about a minute on a busy machine, and a flush taken meanwhile would read as a change.
    /// </summary>
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Trackelio:Webhooks:OutboxFlushDelay"] = "00:30:00",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var bootstrap = Services.GetRequiredService<WorkspaceBootstrap>();
        var own = await bootstrap.CreateAsync(new BootstrapRequest { WorkspaceName = "Attacked", OwnerEmail = "owner@attacked.example", AllowedOrigins = ["https://a.example"] });
        var foreign = await bootstrap.CreateAsync(new BootstrapRequest { WorkspaceName = "Other", OwnerEmail = "owner@other.example", AllowedOrigins = ["*"] });
        await EnableModulesAsync(own);
        await EnableModulesAsync(foreign);

        var viewer = await CreateViewerKeyAsync(own);
        var (ownFeedback, ownConversation, _) = await SeedAsync(own, "https://a.example");
        var (foreignFeedback, foreignConversation, foreignToken) = await SeedAsync(foreign, "https://b.example");
        Tenants = new CorpusTenants
        {
            ProjectKey = own.ProjectKey,
            AdminKey = own.AdminKey,
            ViewerKey = viewer,
            AllowedOrigin = "https://a.example",
            OwnIds = new Dictionary<string, string>
            {
                ["feedback"] = ownFeedback,
                ["widgets"] = own.WidgetId,
                ["users"] = own.OwnerUserId,
                ["conversations"] = ownConversation,
                ["api-keys"] = own.AdminKeyId,
            },
            ForeignIds = new Dictionary<string, string>
            {
                ["feedback"] = foreignFeedback,
                ["widgets"] = foreign.WidgetId,
                ["users"] = foreign.OwnerUserId,
                ["conversations"] = foreignConversation,
                ["api-keys"] = foreign.AdminKeyId,
            },
            OwnConversationId = ownConversation,
            ForeignConversationId = foreignConversation,
            ForeignVisitorToken = foreignToken,
        };
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Azurite.DisposeAsync();
    }

    private async Task EnableModulesAsync(BootstrapResult workspace)
    {
        var widgets = Services.GetRequiredService<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        var on = new ModuleSwitch { Enabled = true };
        await widgets.ReplaceAsync(stored.Value with
        {
            Config = stored.Value.Config with
            {
                Modules = stored.Value.Config.Modules with
                {
                    Nps = new NpsModule { Enabled = true },
                    Csat = new CsatModule { Enabled = true },
                    Surveys = on,
                    Messenger = on,
                    Announcements = on,
                },
            },
        }, stored.ETag);
        // The app's own widget cache lasts 50 ms in the tests' settings.
        await Task.Delay(TimeSpan.FromMilliseconds(100));
    }

    private async Task<string> CreateViewerKeyAsync(BootstrapResult workspace)
    {
        var now = DateTimeOffset.UtcNow;
        var member = new TeamMember
        {
            Id = Trackelio.Functions.Api.Ids.New(Trackelio.Functions.Api.Ids.User),
            WorkspaceId = workspace.WorkspaceId,
            Email = "viewer@attacked.example",
            Role = TeamRole.Viewer,
            CreatedAt = now,
        };
        await Services.GetRequiredService<ITeamStore>().AddAsync(member);
        var secret = Trackelio.Functions.Api.Secrets.New("sk_live_");
        await Services.GetRequiredService<IApiKeyStore>().AddAsync(new ApiKey
        {
            Id = Trackelio.Functions.Api.Ids.New(Trackelio.Functions.Api.Ids.ApiKey),
            WorkspaceId = workspace.WorkspaceId,
            UserId = member.Id,
            Name = "viewer key",
            Prefix = secret[..14],
            CreatedAt = now,
        }, Trackelio.Functions.Api.Secrets.Hash(secret));
        return secret;
    }

    private async Task<(string Feedback, string Conversation, string VisitorToken)> SeedAsync(BootstrapResult workspace, string origin)
    {
        using var admin = CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", workspace.AdminKey);
        var feedback = await admin.PostAsync("/v1/feedback", Json.Body(new { body = "Seed" }));
        var feedbackId = (await feedback.ReadJsonAsync()).GetProperty("data").GetProperty("id").GetString()!;

        using var widget = CreateClient();
        var start = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/messenger/start") { Content = Json.Body(new { message = "hello" }) };
        start.Headers.Add("X-Project-Key", workspace.ProjectKey);
        start.Headers.Add("Origin", origin);
        var started = (await (await widget.SendAsync(start)).ReadJsonAsync()).GetProperty("data");
        return (feedbackId, started.GetProperty("conversation_id").GetString()!, started.GetProperty("visitor_token").GetString()!);
    }
}
