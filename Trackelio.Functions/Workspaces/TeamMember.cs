namespace Trackelio.Functions.Workspaces;

/// <summary>What a team member may do through the management API.</summary>
public enum TeamRole
{
    Admin,
    Editor,
    Viewer,
}

/// <summary>A member of a workspace's team (or an invited one, until they accept).</summary>
public sealed record TeamMember
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Email { get; init; }
    public string? Name { get; init; }
    public required TeamRole Role { get; init; }

    /// <summary><c>active</c>, or <c>pending</c> for an invitation not yet accepted.</summary>
    public string Status { get; init; } = "active";

    public bool EmailVerified { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastActiveAt { get; init; }

    /// <summary>For a pending invitation: the SHA-256 of the token sent to the invitee.</summary>
    public string? InvitationTokenHash { get; init; }
}
