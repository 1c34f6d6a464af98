using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Trackelio.Functions.Api;

/// <summary>
/// <c>GET /v1/openapi.json</c>: both APIs, generated from the endpoints themselves, with the
/// two authentication schemes (<c>X-Project-Key</c> for the widget API, bearer secret keys for
/// the management API) and the error envelope on every endpoint.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentPath = "/v1/openapi.json";

    public static IServiceCollection AddTrackelioOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Trackelio API",
                    Version = "v1",
                    Description = "The widget API (X-Project-Key) and the management API (Authorization: Bearer sk_live_…). " +
                        "Every response is { data, meta, links }; errors are { data: null, meta: { request_id, error: { code, message, details } } }.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["ProjectKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Project-Key",
                    Description = "The widget's public project key (pk_live_…); GET also accepts ?key=.",
                };
                document.Components.SecuritySchemes["SecretKey"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A management secret key (sk_live_…).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var path = context.Description.RelativePath ?? "";
                var scheme = path.StartsWith("v1/widget", StringComparison.Ordinal) ? "ProjectKey"
                    : path.StartsWith("v1/attachments", StringComparison.Ordinal) ? null : "SecretKey";
                if (scheme is not null)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                }
                return Task.CompletedTask;
            });
        });

    /// <summary>Declares the error envelope for the statuses every endpoint of the group can answer.</summary>
    public static TBuilder WithErrorResponses<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            foreach (var status in statuses)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Envelope<object>), ["application/json"]));
            }
        });
        return builder;
    }

    public static IEndpointConventionBuilder MapTrackelioOpenApi(this IEndpointRouteBuilder app) =>
        app.MapOpenApi(DocumentPath).WithName("OpenApiDocument");
}
