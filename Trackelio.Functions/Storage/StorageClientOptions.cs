using Azure.Core;

namespace Trackelio.Functions.Storage;

/// <summary>Retry, timeout and diagnostics settings shared by the storage clients.</summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = 3;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(4);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }
}
