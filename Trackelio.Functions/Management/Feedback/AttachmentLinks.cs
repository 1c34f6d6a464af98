using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Management.Feedback;

/// <summary>
/// Short-lived download links for attachments, proxied through the app
/// (<c>/v1/attachments/{id}/content?ws=…&amp;expires=…&amp;sig=…</c>) instead of storage SAS URLs,
/// so they work the same with account keys and managed identity and storage stays private.
/// The signature is an HMAC over workspace, attachment and expiry with the key every instance
/// shares (<see cref="LinkSigningKey"/>).
/// </summary>
public sealed class AttachmentLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public AttachmentLinks(LinkSigningKey key, TimeProvider time)
    {
        _time = time;
        _key = key.Key;
    }

    public string Create(string workspaceId, string attachmentId)
    {
        var expires = (_time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"/v1/attachments/{attachmentId}/content?ws={workspaceId}&expires={expires}&sig={Sign(workspaceId, attachmentId, expires)}";
    }

    public bool IsValid(string workspaceId, string attachmentId, string expires, string signature) =>
        long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
        && DateTimeOffset.FromUnixTimeSeconds(unix) > _time.GetUtcNow()
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(workspaceId, attachmentId, expires)), Encoding.ASCII.GetBytes(signature));

    private string Sign(string workspaceId, string attachmentId, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{workspaceId}\n{attachmentId}\n{expires}")));
}
