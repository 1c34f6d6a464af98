using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Records every response the app under test gives (operation, status, content type, body) to
/// <c>.trackelio/contract/responses-*.jsonl</c>, so that <c>scripts/contract-check.mjs</c> can check
/// each against the OpenAPI document's schema for its operation and status after the run.
/// </summary>
public sealed class ResponseRecorder : IStartupFilter
{
    private const int MaxBodyBytes = 512 * 1024;
    private static readonly Lock Gate = new();
    private static readonly string LogPath = Path.Combine(RepositoryRoot.Path, ".trackelio", "contract", $"responses-{Environment.ProcessId}.jsonl");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(RecordAsync);
        next(app);
    };

    private static async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var capture = new CaptureStream(original, MaxBodyBytes);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            return; // the caller went away (a test cutting an upload short): nothing was answered
        }
        if (context.GetEndpoint() is not RouteEndpoint endpoint
            || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
            || endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is null)
        {
            return; // not an operation of the document (unknown routes, queue invocations)
        }
        var line = JsonSerializer.Serialize(new
        {
            method = context.Request.Method,
            path = endpoint.RoutePattern.RawText,
            status = context.Response.StatusCode,
            content_type = context.Response.ContentType,
            body = capture.Complete ? Encoding.UTF8.GetString(capture.Captured) : null,
        });
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
            File.AppendAllText(LogPath, line + "\n");
        }
    }

    /// <summary>Passes writes through, keeping a copy of the first <c>max</c> bytes.</summary>
    private sealed class CaptureStream(Stream inner, int max) : Stream
    {
        private readonly MemoryStream _copy = new();

        public bool Complete { get; private set; } = true;
        public byte[] Captured => _copy.ToArray();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Keep(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            if (_copy.Length + bytes.Length > max)
            {
                Complete = false;
                return;
            }
            _copy.Write(bytes);
        }
    }
}
