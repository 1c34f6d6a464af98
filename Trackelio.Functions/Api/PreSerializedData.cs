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

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var requestId = RequestIdJson(httpContext.TraceIdentifier, stackalloc byte[64]);
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
        var flush = body.FlushAsync(httpContext.RequestAborted);
        return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
    }

    /// <summary>The request id as a JSON string: ours are plain ASCII and written as is, anything else is escaped.</summary>
    private static ReadOnlySpan<byte> RequestIdJson(string id, Span<byte> buffer)
    {
        if (id.Length + 2 <= buffer.Length && !id.AsSpan().ContainsAnyExcept(SafeChars))
        {
            buffer[0] = (byte)'"';
            Encoding.ASCII.GetBytes(id, buffer[1..]);
            buffer[id.Length + 1] = (byte)'"';
            return buffer[..(id.Length + 2)];
        }
        return JsonSerializer.SerializeToUtf8Bytes(id);
    }

    private static readonly SearchValues<char> SafeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-:.");
}
