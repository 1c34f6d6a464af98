using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Feedback;
using Trackelio.Functions.Messenger;
using Trackelio.Functions.Responses;
using Trackelio.Functions.Widget.Messenger;
using Trackelio.Functions.Widget.Modules;
using Trackelio.Functions.Surveys;
using Trackelio.Functions.Widget.Announcements;
using Trackelio.Functions.Widget.Config;
using Trackelio.Functions.Widget.Csat;
using Trackelio.Functions.Widget.Nps;
using Trackelio.Functions.Widget.Script;
using Trackelio.Functions.Widget.Surveys;
using Trackelio.Functions.Widget.Submit;
using Trackelio.Functions.Widget.Upload;
using Trackelio.Functions.Widget.WriteLimits;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget;

/// <summary>The functions the embeddable widget calls (<c>/v1/widget/…</c>, each class marked <see cref="ProjectKeyAuthAttribute"/>), authenticated with the public project key.</summary>
public static class WidgetApi
{
    public static IServiceCollection AddWidgetApi(this IServiceCollection services)
    {
        services.AddScoped<CurrentWidget>();
        services.AddOptions<MessengerOptions>().BindConfiguration("Trackelio:Messenger");
        services.AddOptions<WidgetWriteLimitOptions>().BindConfiguration("Trackelio:WidgetWrites")
            .Validate(o => o.WritesPerMinute > 0 && o.WritesPerIpPerMinute > 0, "Widget write limits must be positive.")
            .ValidateOnStart();
        return services;
    }
}
