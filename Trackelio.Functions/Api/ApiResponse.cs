using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Trackelio.Functions.Api;

/// <summary>
/// A success response in the envelope. The request id is taken from the request when the
/// result is written, so handlers only say what the data is. The status is in the type
/// (<see cref="ApiResponse{T}"/> 200, <see cref="ApiCreated{T}"/> 201, <see cref="ApiAccepted{T}"/> 202),
/// so a handler's signature (<c>Results&lt;ApiResponse&lt;T&gt;, ApiError&gt;</c>) declares it to the document.
/// </summary>
public abstract class ApiSuccess<T> : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    private protected ApiSuccess(int statusCode, T data, string? location, IReadOnlyDictionary<string, string?>? links, Func<Meta, Meta>? meta)
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

    private protected static void Declare(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(Envelope<T>), ["application/json"]));
}

/// <summary>200 with the data.</summary>
public sealed class ApiResponse<T> : ApiSuccess<T>, IEndpointMetadataProvider
{
    internal ApiResponse(T data, IReadOnlyDictionary<string, string?>? links = null, Func<Meta, Meta>? meta = null)
        : base(StatusCodes.Status200OK, data, null, links, meta)
    {
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status200OK);
}

/// <summary>201 with the new resource and its <c>Location</c>.</summary>
public sealed class ApiCreated<T> : ApiSuccess<T>, IEndpointMetadataProvider
{
    internal ApiCreated(string location, T data)
        : base(StatusCodes.Status201Created, data, location, null, null)
    {
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status201Created);
}

/// <summary>202: taken, to be finished in the background.</summary>
public sealed class ApiAccepted<T> : ApiSuccess<T>, IEndpointMetadataProvider
{
    internal ApiAccepted(T data)
        : base(StatusCodes.Status202Accepted, data, null, null, null)
    {
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status202Accepted);
}

/// <summary>Success results in the envelope.</summary>
public static class ApiResults
{
    public static ApiResponse<T> Ok<T>(T data, IReadOnlyDictionary<string, string?>? links = null) => new(data, links);

    /// <summary>200 with a list (declared as a list, whatever collection holds it).</summary>
    public static ApiResponse<IReadOnlyList<T>> List<T>(IReadOnlyList<T> items) => new(items);

    public static ApiCreated<T> Created<T>(string location, T data) => new(location, data);

    public static ApiAccepted<T> Accepted<T>(T data) => new(data);

    /// <summary>A page of a list, with <c>meta.page</c>, <c>meta.per_page</c>, <c>meta.total</c> and the links.</summary>
    public static ApiResponse<IReadOnlyList<T>> Page<T>(IReadOnlyList<T> items, int page, int perPage, long total, IReadOnlyDictionary<string, string?> links) =>
        new(items, links, meta: m => m with { Page = page, PerPage = perPage, Total = total });
}
