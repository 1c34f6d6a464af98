using Microsoft.Extensions.DependencyInjection;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Tests.Hardening;

internal static class NpsOn
{
    /// <summary>Turns the widget's NPS module on (once per 90 days per visitor), as a team would.</summary>
    public static async Task EnableAsync(IServiceProvider services, BootstrapResult workspace)
    {
        var widgets = services.GetRequiredService<IWidgetStore>();
        var stored = (await widgets.GetAsync(workspace.WorkspaceId, workspace.WidgetId))!;
        var widget = stored.Value;
        await widgets.ReplaceAsync(widget with
        {
            Config = widget.Config with { Modules = widget.Config.Modules with { Nps = new NpsModule { Enabled = true, FrequencyDays = 90 } } },
        }, stored.ETag);
        await Infrastructure.TrackelioApp.CachesExpiredAsync();
    }
}
