using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Management.Auth;

/// <summary>The team member whose key authenticated the request; set by <see cref="ApiKeyFilter"/> before the handler runs.</summary>
public sealed class CurrentMember
{
    private AuthenticatedKey? _key;

    public AuthenticatedKey Key => _key ?? throw new InvalidOperationException("The endpoint does not require an API key.");
    public string WorkspaceId => Key.ApiKey.WorkspaceId;
    public string UserId => Key.Member.Id;
    public TeamRole Role => Key.Member.Role;

    /// <summary>How mails name the member: their name, else their address.</summary>
    public string DisplayName => Key.Member.Name ?? Key.Member.Email;

    internal void Set(AuthenticatedKey key) => _key = key;
}

/// <summary>A key that authenticated, with the member it belongs to.</summary>
public sealed record AuthenticatedKey(ApiKey ApiKey, TeamMember Member);
