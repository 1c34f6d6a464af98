using System.Linq.Expressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Trackelio.Functions.Api;
using Trackelio.Functions.Api.Requests;
using Trackelio.Functions.Management.Auth;
using Trackelio.Functions.Widget;

namespace Trackelio.Functions.Composition;

/// <summary>
/// Generates the OpenAPI document from the functions: each HTTP-triggered function is mapped,
/// for the generator only, as the minimal-API endpoint it would be (its route and methods from
/// its trigger, its name, its attributes, and its parameters and result types read by ASP.NET
/// Core exactly as for a handler), and <c>Microsoft.AspNetCore.OpenApi</c> describes them. Nothing
/// is served: the document is committed (<c>openapi/trackelio.json</c>, embedded and served by
/// <see cref="OpenApiDocumentFunction"/>); a test holds the two together.
/// </summary>
public static class OpenApiDocumentGenerator
{
    /// <summary>What every management-API function can answer besides its own statuses.</summary>
    private static readonly int[] ManagementErrors = [400, 401, 403, 404, 409, 413, 415, 429, 500, 503];

    /// <summary>What every widget-API function can answer besides its own statuses.</summary>
    private static readonly int[] WidgetErrors = [400, 401, 403, 404, 413, 415, 429, 500, 503];

    public static async Task<string> GenerateAsync(CancellationToken cancellationToken = default)
    {
        await using var app = BuildApp();
        var provider = app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1");
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        using var json = new MemoryStream();
        await document.SerializeAsJsonAsync(json, OpenApiSpecVersion.OpenApi3_1, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(json.ToArray());
    }

    /// <summary>An app (never started) with every documented function mapped as the endpoint it would be.</summary>
    public static WebApplication BuildApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true"; // never contacted
        builder.Services.AddTrackelio(builder.Configuration);
        builder.Services.AddTrackelioOpenApi();
        builder.Services.RemoveAll<IHostedService>();
        var app = builder.Build();
        // What each API declares for all of its functions, as a group (so it comes first; a function's own attributes follow and win).
        var management = app.MapGroup("").WithMetadata(new SecuritySchemeAttribute(OpenApiExtensions.SecretKey), new ErrorResponsesAttribute(ManagementErrors));
        var widget = app.MapGroup("").WithMetadata(new SecuritySchemeAttribute(OpenApiExtensions.ProjectKey), new ErrorResponsesAttribute(WidgetErrors),
            new QueryParameter("key", "The project key, for a GET that sends no X-Project-Key header (a CORS simple request).") { Methods = [HttpMethods.Get, HttpMethods.Head] });
        // Any function can fail unexpectedly: 500 internal_error, in the envelope (ErrorHandlingMiddleware).
        var other = app.MapGroup("").WithMetadata(new ErrorResponsesAttribute(StatusCodes.Status500InternalServerError));
        foreach (var function in FunctionCatalog.All.Where(f => f.HttpTrigger is not null && !f.Has<ExcludeFromDescriptionAttribute>()).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            Map(function.Has<ApiKeyAuthAttribute>() ? management : function.Has<ProjectKeyAuthAttribute>() ? widget : other, function);
        }
        // Registers the mapped endpoints where the generator looks for them (routing does this when an app starts; this one never does).
        app.UseRouting();
        app.UseEndpoints(_ => { });
        return app;
    }

    private static void Map(RouteGroupBuilder api, AppFunction function)
    {
        var trigger = function.HttpTrigger!;
        var methods = (trigger.Methods ?? []).Where(m => !HttpMethods.IsOptions(m)).Select(m => m.ToUpperInvariant()).ToArray();
        var method = function.Method;
        var handler = method.CreateDelegate(Expression.GetDelegateType([.. method.GetParameters().Select(p => p.ParameterType), method.ReturnType]));
        var endpoint = api.MapMethods("/" + trigger.Route, methods, handler).WithName(function.Name);
        endpoint.WithMetadata([.. method.DeclaringType!.GetCustomAttributes(inherit: true)]);
        endpoint.Add(builder =>
        {
            foreach (var status in builder.Metadata.OfType<ErrorResponsesAttribute>().SelectMany(e => e.Statuses).Distinct().ToList())
            {
                builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Envelope<object>), ["application/json"]));
            }
        });
    }
}
