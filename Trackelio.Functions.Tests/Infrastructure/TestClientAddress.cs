using System.Net;
using System.Net.Sockets;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>
/// Distinct callers for per-client limits: a client connects from a loopback address of its own
/// (Linux answers on all of 127.0.0.0/8), so the app sees a different address the honest way —
/// the dev host forwards it in <c>X-Forwarded-For</c> as the platform's front end does — instead
/// of every test client sharing 127.0.0.1.
/// </summary>
public static class TestClientAddress
{
    /// <summary>A loopback client address no other test uses.</summary>
    public static string Unique() => $"127.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>A handler whose connections come from <paramref name="address"/> (null: the default, 127.0.0.1).</summary>
    public static SocketsHttpHandler Handler(string? address) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // Hostile tests send header values that are not ASCII; let them go out as bytes (the server decides what they are).
        RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.Latin1,
        ConnectCallback = address is null ? null : async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
