using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Trackelio.Functions.Api;

/// <summary>
/// A 200 envelope around <c>data</c> that was serialized ahead of time (a cached document):
/// only the request id is written per request.
/// </summary>
public sealed class PreSerializedData(ReadOnlyMemory<byte> dataJson) : IResult
{
    private static readonly byte[] Start = Encoding.UTF8.GetBytes("{\"data\":");
    private static readonly byte[] MetaStart = Encoding.UTF8.GetBytes(",\"meta\":{\"request_id\":");
    private static readonly byte[] End = Encoding.UTF8.GetBytes("}}");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var requestId = JsonSerializer.SerializeToUtf8Bytes(httpContext.TraceIdentifier);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = Start.Length + dataJson.Length + MetaStart.Length + requestId.Length + End.Length;
        var body = response.BodyWriter;
        body.Write(Start);
        body.Write(dataJson.Span);
        body.Write(MetaStart);
        body.Write(requestId);
        body.Write(End);
        await body.FlushAsync(httpContext.RequestAborted);
    }
}
