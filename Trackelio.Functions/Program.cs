using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Trackelio.Functions.Composition;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Limits;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Widget;
using Trackelio.Functions.Widget.Cors;
using Trackelio.Functions.Widget.Messenger;
using Trackelio.Functions.Widget.Modules;
using Trackelio.Functions.Widget.WriteLimits;

if (AppCommands.Parse(args) is { } command)
{
    return await command.RunAsync(Console.Out, Console.Error);
}

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddTrackelio(builder.Configuration);
builder.Services.AddTelemetry(builder.Configuration);

// Worker middleware, outermost first, each for the functions that declare it.
builder.UseWhen<FunctionEndpointMiddleware>(context => context.IsHttp());
builder.UseWhen<RequestIdMiddleware>(context => context.IsHttp());
builder.UseWhen<UnreadBodyMiddleware>(context => context.IsHttp());
builder.UseWhen<ErrorHandlingMiddleware>(context => context.IsHttp());
builder.UseWhen<HeadRequestMiddleware>(context => context.IsHttp());
builder.UseWhen<StorageDeadlineMiddleware>(context => context.IsHttp());
builder.UseWhen<RequestBodyBudgetMiddleware>(context => context.IsHttp());
builder.UseWhen<WidgetPreflightMiddleware>(context => context.Declares<ProjectKeyAuthAttribute>());
builder.UseWhen<ProjectKeyMiddleware>(context => context.Declares<ProjectKeyAuthAttribute>());
builder.UseWhen<WidgetWriteLimitMiddleware>(context => context.Declares<ProjectKeyAuthAttribute>());
builder.UseWhen<StartLimitMiddleware>(context => context.Declares<StartLimitedAttribute>());
builder.UseWhen<ModuleMiddleware>(context => context.Declares<WidgetModuleAttribute>());
builder.UseWhen<ApiKeyMiddleware>(context => context.Declares<ApiKeyAuthAttribute>());
builder.UseWhen<RateLimitMiddleware>(context => context.Declares<ApiKeyAuthAttribute>());
builder.UseWhen<RequestValidationMiddleware>(RequestValidationMiddleware.Applies); // after the key and its limits: 401/403/429 before 400

await builder.Build().RunAsync();
return 0;
