using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>What to create for a new workspace.</summary>
public sealed record BootstrapRequest
{
    public required string WorkspaceName { get; init; }
    public required string OwnerEmail { get; init; }
    public string? OwnerName { get; init; }
    public string WidgetName { get; init; } = "Website";
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>The language of the workspace's mails.</summary>
    public string Language { get; init; } = WorkspaceLanguages.Default;
}

/// <summary>What was created; the secrets in it are shown this once.</summary>
public sealed record BootstrapResult
{
    public required string WorkspaceId { get; init; }
    public required string OwnerUserId { get; init; }
    public required string OwnerEmail { get; init; }
    public required string AdminKeyId { get; init; }
    public required string AdminKey { get; init; }
    public required string WidgetId { get; init; }
    public required string ProjectKey { get; init; }
    public required string IdentitySecret { get; init; }
    public required IReadOnlyList<string> AllowedOrigins { get; init; }
}

/// <summary>
/// Creates a first workspace with its owner, an admin management key and a widget. This is
/// how a deployment gets its first key: no management key exists yet to ask the API with.
/// </summary>
public sealed class WorkspaceBootstrap(IWorkspaceStore workspaces, ITeamStore team, IApiKeyStore apiKeys,
    IWidgetStore widgets, IProjectKeyStore projectKeys, TimeProvider time)
{
    public const string AdminKeyPrefix = "sk_live_";

    public async Task<BootstrapResult> CreateAsync(BootstrapRequest request, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var workspaceId = Ids.New(Ids.Workspace, now);
        var ownerId = Ids.New(Ids.User, now);

        await workspaces.AddAsync(new Workspace { Id = workspaceId, Name = request.WorkspaceName, OwnerUserId = ownerId, CreatedAt = now, Language = request.Language }, cancellationToken);
        await team.AddAsync(new TeamMember
        {
            Id = ownerId,
            WorkspaceId = workspaceId,
            Email = request.OwnerEmail,
            Name = request.OwnerName,
            Role = TeamRole.Admin,
            EmailVerified = true,
            CreatedAt = now,
        }, cancellationToken);

        var secret = Secrets.New(AdminKeyPrefix);
        var key = new ApiKey
        {
            Id = Ids.New(Ids.ApiKey, now),
            WorkspaceId = workspaceId,
            UserId = ownerId,
            Name = "Bootstrap admin key",
            Prefix = secret[..(AdminKeyPrefix.Length + 6)],
            CreatedAt = now,
        };
        await apiKeys.AddAsync(key, Secrets.Hash(secret), cancellationToken);

        var widget = new SiteWidget
        {
            Id = Ids.New(Ids.Widget, now),
            WorkspaceId = workspaceId,
            Name = request.WidgetName,
            ProjectKey = ProjectKeys.New(),
            IdentitySecret = Secrets.New("wis_"),
            AllowedOrigins = request.AllowedOrigins,
            Config = new WidgetConfig(),
            History = [new WidgetEvent("created", ownerId, now)],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await widgets.AddAsync(widget, cancellationToken);
        // The key goes in last: until it exists, nothing can reach the widget half-made.
        await projectKeys.AddAsync(new ProjectKey { Key = widget.ProjectKey, WorkspaceId = workspaceId, WidgetId = widget.Id, CreatedAt = now }, cancellationToken);

        return new BootstrapResult
        {
            WorkspaceId = workspaceId,
            OwnerUserId = ownerId,
            OwnerEmail = request.OwnerEmail,
            AdminKeyId = key.Id,
            AdminKey = secret,
            WidgetId = widget.Id,
            ProjectKey = widget.ProjectKey,
            IdentitySecret = widget.IdentitySecret,
            AllowedOrigins = widget.AllowedOrigins,
        };
    }
}
