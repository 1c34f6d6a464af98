using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Trackelio.Bench;

/// <summary>
/// How much the app's resident memory grows while it streams a 50 MiB recording to Blob
/// Storage through the dev host: the WORKER process's VmRSS (<c>/proc/&lt;worker pid&gt;/status</c>,
/// read from outside, every 20 ms), against its level after a warm-up upload. The host's own
/// memory (it proxies the body to the worker) is not the app's and is not counted.
/// </summary>
internal static class UploadMemory
{
    public static async Task<double> RunAsync(BenchEnvironment env, int megabytes)
    {
        using var http = new HttpClient { BaseAddress = env.AppUrl, Timeout = TimeSpan.FromMinutes(5) };

        // Warm-up: the same code path with a small file, so JIT and pools are in place.
        await UploadAsync(http, env.ProjectKey, 6 * 1024 * 1024);
        await Task.Delay(1000);
        var baseline = ResidentBytes(env.WorkerProcessId);

        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(env.WorkerProcessId));
                await Task.Delay(20);
            }
        });
        var stopwatch = Stopwatch.StartNew();
        await UploadAsync(http, env.ProjectKey, megabytes * 1024L * 1024);
        stopwatch.Stop();
        await sampling.CancelAsync();
        await sampler;

        var growth = (peak - baseline) / 1024.0 / 1024.0;
        Console.WriteLine($"  {megabytes} MiB recording uploaded in {stopwatch.Elapsed.TotalSeconds:F1} s; worker resident memory {baseline / 1024.0 / 1024.0:F1} MiB → peak {peak / 1024.0 / 1024.0:F1} MiB");
        return growth;
    }

    private static async Task UploadAsync(HttpClient http, string key, long size)
    {
        using var content = new StreamContent(new GeneratedRecording(size), 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        content.Headers.ContentLength = size;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/widget/upload") { Content = content };
        request.Headers.Add("X-Project-Key", key);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }
        throw new InvalidOperationException("No VmRSS in /proc.");
    }

    /// <summary>A WebM-looking stream of <paramref name="length"/> bytes, generated as it is read (the client holds none of it).</summary>
    private sealed class GeneratedRecording(long length) : Stream
    {
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[offset + i] = at switch { 0 => 0x1A, 1 => 0x45, 2 => 0xDF, 3 => 0xA3, _ => (byte)(at * 31) };
            }
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
