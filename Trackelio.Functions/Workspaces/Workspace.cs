namespace Trackelio.Functions.Workspaces;

/// <summary>A customer's account: its team, widgets and everything they collect.</summary>
public sealed record Workspace
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string OwnerUserId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The language of the workspace's mails (<see cref="WorkspaceLanguages"/>): <c>en</c> unless set.</summary>
    public string Language { get; init; } = WorkspaceLanguages.Default;
}

/// <summary>The languages a workspace's mails are written in.</summary>
public static class WorkspaceLanguages
{
    public const string Default = "en";

    public static readonly IReadOnlyList<string> All = ["en", "de"];
}
