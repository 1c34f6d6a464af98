using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Trackelio.Functions.Api;

/// <summary>
/// A success response in the envelope. The request id is taken from the request when the
/// result is written, so handlers only say what the data is.
/// </summary>
public sealed class ApiResponse<T> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    internal ApiResponse(int statusCode, T data, string? location = null, IReadOnlyDictionary<string, string?>? links = null, Func<Meta, Meta>? meta = null)
    {
        StatusCode = statusCode;
        Value = data;
        Location = location;
        Links = links;
        MetaTransform = meta;
    }

    public int StatusCode { get; }
    int? IStatusCodeHttpResult.StatusCode => StatusCode;
    public T Value { get; }
    object? IValueHttpResult.Value => Value;
    public string? Location { get; }
    public IReadOnlyDictionary<string, string?>? Links { get; }
    private Func<Meta, Meta>? MetaTransform { get; }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var meta = new Meta { RequestId = httpContext.TraceIdentifier };
        if (MetaTransform is not null)
        {
            meta = MetaTransform(meta);
        }
        httpContext.Response.StatusCode = StatusCode;
        if (Location is not null)
        {
            httpContext.Response.Headers.Location = Location;
        }
        return httpContext.Response.WriteAsJsonAsync(new Envelope<T>(Value, meta, Links), TrackelioJson.Options, "application/json; charset=utf-8");
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(Envelope<T>), ["application/json"]));
}

/// <summary>Success results in the envelope.</summary>
public static class ApiResults
{
    public static ApiResponse<T> Ok<T>(T data, IReadOnlyDictionary<string, string?>? links = null) => new(StatusCodes.Status200OK, data, links: links);

    public static ApiResponse<T> Created<T>(string location, T data) => new(StatusCodes.Status201Created, data, location);

    public static ApiResponse<T> Accepted<T>(T data) => new(StatusCodes.Status202Accepted, data);

    /// <summary>A page of a list, with <c>meta.page</c>, <c>meta.per_page</c>, <c>meta.total</c> and the links.</summary>
    public static ApiResponse<IReadOnlyList<T>> Page<T>(IReadOnlyList<T> items, int page, int perPage, long total, IReadOnlyDictionary<string, string?> links) =>
        new(StatusCodes.Status200OK, items, links: links, meta: m => m with { Page = page, PerPage = perPage, Total = total });
}
