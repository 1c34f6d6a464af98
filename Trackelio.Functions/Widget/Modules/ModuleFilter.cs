using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Modules;

/// <summary>The widget module an endpoint belongs to (NPS, CSAT, the messenger), and what to say when it is off.</summary>
public sealed record WidgetModuleMetadata(Func<WidgetModules, bool> IsEnabled, string DisabledMessage);

/// <summary>
/// A write to a module the widget has switched off is 403 <c>module_disabled</c>, whatever the
/// body holds: a group filter before the request is read, so the answer does not depend on it.
/// </summary>
public sealed class ModuleFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<WidgetModuleMetadata>() is { } module
            && !module.IsEnabled(http.RequestServices.GetRequiredService<CurrentWidget>().Widget.Config.Modules))
        {
            return ApiError.Forbidden("module_disabled", module.DisabledMessage);
        }
        return await next(context);
    }
}

public static class ModuleFilterExtensions
{
    /// <summary>The group's endpoints that declare a module (<see cref="RequireModule"/>) answer 403 while it is off.</summary>
    public static TBuilder RequireEnabledModules<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(new ModuleFilter());
        return builder;
    }

    /// <summary>This endpoint belongs to a module that the widget's config may switch off.</summary>
    public static RouteHandlerBuilder RequireModule(this RouteHandlerBuilder builder, Func<WidgetModules, bool> isEnabled, string disabledMessage) =>
        builder.WithMetadata(new WidgetModuleMetadata(isEnabled, disabledMessage));
}
