using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget;

/// <summary>The widget the request's project key opened; set by <see cref="ProjectKeyFilter"/> before the handler runs.</summary>
public sealed class CurrentWidget
{
    private ResolvedWidget? _resolved;

    public ResolvedWidget Resolved => _resolved ?? throw new InvalidOperationException("The endpoint does not require a project key.");
    public SiteWidget Widget => Resolved.Widget;
    public string WorkspaceId => Widget.WorkspaceId;
    public string WidgetId => Widget.Id;

    internal void Set(ResolvedWidget resolved) => _resolved = resolved;
}
