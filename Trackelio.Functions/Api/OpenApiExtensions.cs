using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;
using Trackelio.Functions.Api.Requests;

namespace Trackelio.Functions.Api;

/// <summary>
/// The OpenAPI document of both APIs, generated from the functions themselves (their routes,
/// request records, result types and attributes; <c>Composition/OpenApiDocumentGenerator</c>), with the
/// two authentication schemes (<c>X-Project-Key</c> for the widget API, bearer secret keys for
/// the management API) and the error envelope on every endpoint.
/// </summary>
public static class OpenApiExtensions
{

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
                // Relative to where the document is served from: the same for every deployment.
                document.Servers = [new OpenApiServer { Url = "/", Description = "The deployment serving this document" }];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ProjectKey] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Project-Key",
                    Description = "The widget's public project key (pk_live_…); GET also accepts ?key=.",
                };
                document.Components.SecuritySchemes[SecretKey] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A management secret key (sk_live_…).",
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // Free-form JSON (metadata, answers) is any value; null means absent, which the
                // property's own nullability says (else oneOf [null, anything] matches null twice).
                if ((Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type) == typeof(System.Text.Json.JsonElement))
                {
                    schema.Type = JsonSchemaType.Object | JsonSchemaType.Array | JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean;
                }
                // A map whose values may be null says so (a page's links: no next on the last page; an audit entry's from/to).
                if (context.JsonPropertyInfo?.AttributeProvider is System.Reflection.PropertyInfo property && schema.AdditionalProperties is OpenApiSchema values
                    && new System.Reflection.NullabilityInfoContext().Create(property) is { GenericTypeArguments: [_, { ReadState: System.Reflection.NullabilityState.Nullable }] })
                {
                    values.Type |= JsonSchemaType.Null;
                }
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                // The scheme the endpoint's group declares (WithSecurityScheme), not one guessed from the path.
                // An endpoint mapped for GET and HEAD has one name: its HEAD operation gets its own id.
                if (string.Equals(context.Description.HttpMethod, "HEAD", StringComparison.OrdinalIgnoreCase) && operation.OperationId is { } id)
                {
                    operation.OperationId = id + "Head";
                }
                // None (a signed link, the host probe) is said explicitly: security: [].
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var scheme = metadata.OfType<SecuritySchemeAttribute>().LastOrDefault()?.Scheme;
                operation.Security = scheme is null
                    ? []
                    : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
                AddQueryParameters(operation, metadata.OfType<QueryParameter>(), context.Description.HttpMethod ?? "GET");
                AddHeaderParameters(operation, metadata.OfType<HeaderParameterAttribute>());
                if (metadata.OfType<BinaryRequestBodyAttribute>().LastOrDefault() is { } binary)
                {
                    operation.RequestBody = BinaryBody(binary);
                }
                return Task.CompletedTask;
            });
        });

    public const string ProjectKey = "ProjectKey";
    public const string SecretKey = "SecretKey";

    /// <summary>
    /// A file as the body, raw or as the <c>file</c> field of a form. Declared for the document only:
    /// as accepts-metadata it would make routing refuse other content types with 415 before the
    /// key is checked, and the endpoint decides the type by the bytes, not the header.
    /// </summary>
    private static OpenApiRequestBody BinaryBody(BinaryRequestBodyAttribute binary)
    {
        var file = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        return new OpenApiRequestBody
        {
            Required = true,
            Description = binary.Description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/octet-stream"] = new() { Schema = file },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = file },
                    },
                },
            },
        };
    }

    /// <summary>The request headers the function declares (<see cref="HeaderParameterAttribute"/>).</summary>
    private static void AddHeaderParameters(OpenApiOperation operation, IEnumerable<HeaderParameterAttribute> declared)
    {
        foreach (var header in declared.DistinctBy(h => h.Name, StringComparer.OrdinalIgnoreCase))
        {
            var schema = new OpenApiSchema { Type = JsonSchemaType.String };
            if (header.Value is { } value)
            {
                schema.Enum = [System.Text.Json.Nodes.JsonValue.Create(value)];
            }
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Required = header.Required,
                Schema = schema,
            });
        }
    }

    /// <summary>The query parameters the endpoint's request records declare (<see cref="QueryParameter"/> metadata).</summary>
    private static void AddQueryParameters(OpenApiOperation operation, IEnumerable<QueryParameter> declared, string method)
    {
        foreach (var parameter in declared.Where(p => p.Methods is null || p.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)).DistinctBy(p => p.Name))
        {
            if (parameter.IsPrefix)
            {
                operation.Description = (operation.Description is null ? "" : operation.Description + "\n\n") + $"`{parameter.Name}<name>` query parameters: {parameter.Description}";
                continue;
            }
            var schema = new OpenApiSchema
            {
                Type = parameter.Type == QueryValue.Integer ? JsonSchemaType.Integer : JsonSchemaType.String,
                Format = parameter.Type == QueryValue.DateTime ? "date-time" : null,
            };
            if (parameter.Values is { } values)
            {
                schema.Enum = values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList();
            }
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Description = parameter.Description,
                Required = parameter.Required,
                Schema = schema,
            });
        }
    }
}

/// <summary>
/// A request header the function reads itself (e.g. <c>X-Confirm: true</c> before something that cannot be undone), for
/// the document: the function's method declares it beside the code that reads it.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class HeaderParameterAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public bool Required { get; set; }

    /// <summary>The one value it takes, when there is only one (<c>true</c>).</summary>
    public string? Value { get; set; }
}

/// <summary>The function takes a file as its body (raw, or the <c>file</c> field of a form), for the OpenAPI document.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BinaryRequestBodyAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

/// <summary>How callers of a function authenticate, for the document: <see cref="OpenApiExtensions.ProjectKey"/>, <see cref="OpenApiExtensions.SecretKey"/>, or null for none (a signed link).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class SecuritySchemeAttribute(string? scheme) : Attribute
{
    public string? Scheme { get; } = scheme;
}

/// <summary>Declares the error envelope for statuses the function can answer, beside those of its API (the document's own list per API).</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ErrorResponsesAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses { get; } = statuses;
}
