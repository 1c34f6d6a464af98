using Trackelio.Functions.Api;
namespace Trackelio.Functions.Workspaces;

public static class WorkspacesExtensions
{
    /// <summary>Tenant data: workspaces, team, keys, widgets and the cached project-key directory.</summary>
    public static IServiceCollection AddWorkspaces(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(FileClock.FromSettings(configuration));
        services.AddSingleton<IWorkspaceStore, TableWorkspaceStore>();
        services.AddSingleton<ITeamStore, TableTeamStore>();
        services.AddSingleton<WorkspaceQuota>();
        services.AddSingleton<IApiKeyStore, TableApiKeyStore>();
        services.AddSingleton<IWidgetStore, TableWidgetStore>();
        services.AddSingleton<IProjectKeyStore, TableProjectKeyStore>();
        services.AddOptions<WidgetDirectoryOptions>().Bind(configuration.GetSection("Trackelio:WidgetDirectory"))
            .Validate(o => o.CacheDuration > TimeSpan.Zero && o.CacheDuration <= TimeSpan.FromSeconds(10), "CacheDuration must be between 0 and 10 seconds (changes must reach widgets within 15 s).")
            .ValidateOnStart();
        services.AddSingleton<WidgetDirectory>();
        services.AddSingleton<WorkspaceBootstrap>();
        return services;
    }
}
