using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Management.Feedback;

/// <summary>
/// Short-lived download links for attachments, proxied through the app
/// (<c>/v1/attachments/{id}/content?ws=…&amp;expires=…&amp;sig=…</c>) instead of storage SAS URLs,
/// so they work the same with account keys and managed identity and storage stays private.
/// The signature is an HMAC over workspace, attachment and expiry with a key every instance
/// shares: <c>Trackelio:LinkSigningKey</c>, or else one derived from the storage account key.
/// </summary>
public sealed class AttachmentLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public AttachmentLinks(IConfiguration configuration, TimeProvider time, ILogger<AttachmentLinks> logger)
    {
        _time = time;
        if (configuration["Trackelio:LinkSigningKey"] is { Length: > 0 } configured)
        {
            _key = Convert.FromBase64String(configured);
        }
        else if (StorageSettings.AccountKey(configuration) is { } accountKey)
        {
            // The account key's HMAC of a fixed label: the same on every instance, and rotating the account key rotates it.
            // The same key as before the SDKs (the signature's base64 text), so links made by an older instance stay valid.
            _key = Encoding.UTF8.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(accountKey), Encoding.UTF8.GetBytes("trackelio-attachment-links"))));
        }
        else
        {
            _key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("Trackelio:LinkSigningKey is not set: attachment links work only on the instance that made them.");
        }
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
