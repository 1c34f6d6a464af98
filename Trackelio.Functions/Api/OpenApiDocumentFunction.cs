using Microsoft.Azure.Functions.Worker;

namespace Trackelio.Functions.Api;

/// <summary>
/// <c>GET /v1/openapi.json</c>: the committed document (<c>openapi/trackelio.json</c>, embedded at
/// build time), which <c>Composition/OpenApiDocumentGenerator</c> makes from the functions.
/// </summary>
public static class OpenApiDocumentFunction
{
    private static readonly Lazy<byte[]> Document = new(() =>
    {
        using var stream = typeof(OpenApiDocumentFunction).Assembly.GetManifestResourceStream("openapi.trackelio.json")
            ?? throw new InvalidOperationException("The OpenAPI document is not embedded (openapi/trackelio.json).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    [Function("OpenApiDocument")]
    [ExcludeFromDescription]
    public static IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/openapi.json")] HttpRequest req) =>
        TypedResults.Bytes(Document.Value, "application/json");
}
