using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Trackelio.Functions.Api;
using Trackelio.Functions.Workspaces;

namespace Trackelio.Functions.Widget.Modules;

/// <summary>A widget module that the widget's config may switch off.</summary>
public enum WidgetModule
{
    Nps,
    Csat,
    Messenger,
}

/// <summary>The widget module a function belongs to: while the widget has it off, its writes are 403 <c>module_disabled</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WidgetModuleAttribute(WidgetModule module) : Attribute
{
    public WidgetModule Module { get; } = module;

    public bool IsEnabled(WidgetModules modules) => Module switch
    {
        WidgetModule.Nps => modules.Nps.Enabled,
        WidgetModule.Csat => modules.Csat.Enabled,
        _ => modules.Messenger.Enabled,
    };

    public string DisabledMessage => Module switch
    {
        WidgetModule.Nps => "NPS is not enabled for this widget.",
        WidgetModule.Csat => "CSAT is not enabled for this widget.",
        _ => "The messenger is not enabled for this widget.",
    };
}

/// <summary>
/// A write to a module the widget has switched off is 403 <c>module_disabled</c>, whatever the
/// body holds: checked before the request is read, so the answer does not depend on it.
/// </summary>
public sealed class ModuleMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.Http();
        if (http.GetEndpoint()?.Metadata.GetMetadata<WidgetModuleAttribute>() is { } module
            && !module.IsEnabled(http.RequestServices.GetRequiredService<CurrentWidget>().Widget.Config.Modules))
        {
            context.Answer(ApiError.Forbidden("module_disabled", module.DisabledMessage));
            return;
        }
        await next(context);
    }
}

