using System.Security.Cryptography;
using System.Text;

namespace Trackelio.Functions.Storage;

/// <summary>
/// A storage account name and key. The key can be rotated in place with
/// <see cref="SetAccountKey"/>; clients that hold the credential sign with the new key from
/// the next request on.
/// </summary>
public sealed class StorageAccountKeyCredential
{
    private byte[] _key;

    public StorageAccountKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountName);
        AccountName = accountName;
        _key = Convert.FromBase64String(accountKey);
    }

    public string AccountName { get; }

    public void SetAccountKey(string accountKey) =>
        Volatile.Write(ref _key, Convert.FromBase64String(accountKey));

    internal string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.UTF8.GetBytes(stringToSign)));
}
