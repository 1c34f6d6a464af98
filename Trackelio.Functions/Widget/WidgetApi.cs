using Trackelio.Functions.Widget.Config;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget;

/// <summary>The endpoints the embeddable widget calls (<c>/v1/widget/…</c>), authenticated with the public project key.</summary>
public static class WidgetApi
{
    public static IServiceCollection AddWidgetApi(this IServiceCollection services)
    {
        services.AddScoped<CurrentWidget>();
        return services;
    }

    public static RouteGroupBuilder MapWidgetApi(this IEndpointRouteBuilder app)
    {
        var widget = app.MapGroup("/v1/widget")
            .RequireProjectKey()
            .WithTags("Widget API");

        widget.MapWidgetConfig();
        return widget;
    }
}
