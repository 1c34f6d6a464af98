namespace Trackelio.Functions.Workspaces;

/// <summary>A customer's account: its team, widgets and everything they collect.</summary>
public sealed record Workspace
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string OwnerUserId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}
