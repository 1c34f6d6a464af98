using Trackelio.Functions.Api;

namespace Trackelio.Functions.Workspaces;

/// <summary>The public keys that identify a widget to the widget API.</summary>
public static class ProjectKeys
{
    public const string Prefix = "pk_live_";

    /// <summary>How long a rotated-out key keeps working.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    public static string New() => Secrets.New(Prefix);
}
