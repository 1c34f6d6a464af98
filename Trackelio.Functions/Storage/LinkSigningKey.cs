using System.Security.Cryptography;
using System.Text;

namespace Trackelio.Functions.Storage;

/// <summary>
/// The HMAC key every instance shares for links the app signs (attachment downloads, mail unsubscribe
/// links): <c>Trackelio:LinkSigningKey</c> (base64), or else one derived from the storage account key
/// (the same everywhere; rotating the account key rotates it). With neither (managed identity and no
/// setting) it is random per instance, and links work only on the instance that made them.
/// </summary>
public sealed class LinkSigningKey
{
    public LinkSigningKey(IConfiguration configuration, ILogger<LinkSigningKey> logger)
    {
        if (configuration["Trackelio:LinkSigningKey"] is { Length: > 0 } configured)
        {
            Key = Convert.FromBase64String(configured);
        }
        else if (StorageSettings.AccountKey(configuration) is { } accountKey)
        {
            // The account key's HMAC of a fixed label, as base64 text: the key attachment links have always used.
            Key = Encoding.UTF8.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(accountKey), Encoding.UTF8.GetBytes("trackelio-attachment-links"))));
        }
        else
        {
            Key = RandomNumberGenerator.GetBytes(32);
            logger.LogWarning("Trackelio:LinkSigningKey is not set: signed links work only on the instance that made them.");
        }
    }

    /// <summary>The key as attachment links use it.</summary>
    public byte[] Key { get; }

    /// <summary>A key of its own for one kind of link, so a signature of one kind never passes for another.</summary>
    public byte[] For(string purpose) => HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(purpose));
}
