using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Trackelio.Functions.Api;

/// <summary>Random secrets and their hashes: keys, tokens, signing secrets.</summary>
public static class Secrets
{
    /// <summary><paramref name="prefix"/> + 32 random bytes (256 bits) in base64url.</summary>
    public static string New(string prefix) => prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the secret, hex. The secrets are random and long, so a fast hash is enough.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Compares two strings in time that does not depend on where they differ.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
