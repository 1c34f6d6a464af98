using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Trackelio.Functions.Storage;

/// <summary>
/// Builds the three Azure SDK service clients from the setting the Functions host reads for its own
/// storage, <c>AzureWebJobsStorage</c>, read the way the host reads it: either a connection string
/// (the SDK parses it: <c>UseDevelopmentStorage=true</c>, account key, explicit endpoints), or the
/// identity-based settings <c>AzureWebJobsStorage__blobServiceUri</c> / <c>__queueServiceUri</c> /
/// <c>__tableServiceUri</c> (or <c>__accountName</c>) with <c>__credential</c> and <c>__clientId</c>.
/// </summary>
public static class StorageSettings
{
    /// <summary>The setting that names the app's storage, as the Functions host reads it too.</summary>
    public const string SettingName = "AzureWebJobsStorage";

    public const string DevelopmentAccountName = "devstoreaccount1";

    // The well-known Azurite/Storage Emulator key; not a secret.
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The connection string of an Azurite listening on loopback at the given ports.</summary>
    public static string EmulatorConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};";

    /// <summary>The connection string, when storage is named by one (null for identity-based settings).</summary>
    public static string? ConnectionString(IConfiguration configuration) =>
        configuration[SettingName] is { Length: > 0 } value ? value
        : configuration.GetConnectionString(SettingName) is { Length: > 0 } named ? named
        : null;

    /// <summary>
    /// The account key of a key-based connection string (the emulator's for <c>UseDevelopmentStorage=true</c>);
    /// null for identity-based settings. Only derives the attachment links' fallback signing key.
    /// </summary>
    public static string? AccountKey(IConfiguration configuration)
    {
        if (ConnectionString(configuration) is not { } connectionString)
        {
            return null;
        }
        var parts = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev
            ? DevelopmentAccountKey
            : parts.GetValueOrDefault("AccountKey");
    }

    // With identity-based settings the three clients share one credential (one token cache, one token fetch):
    // pass it as `credential`; without it each client makes its own.

    public static TableServiceClient CreateTableServiceClient(IConfiguration configuration, TableClientOptions options, Func<TokenCredential>? credential = null) =>
        ConnectionString(configuration) is { } connectionString
            ? Parsed(() => new TableServiceClient(connectionString, options))
            : new TableServiceClient(ServiceUri(configuration, "tableServiceUri", "table"), (credential ?? (() => Credential(configuration)))(), options);

    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration, BlobClientOptions options, Func<TokenCredential>? credential = null) =>
        ConnectionString(configuration) is { } connectionString
            ? Parsed(() => new BlobServiceClient(connectionString, options))
            : new BlobServiceClient(ServiceUri(configuration, "blobServiceUri", "blob"), (credential ?? (() => Credential(configuration)))(), options);

    public static QueueServiceClient CreateQueueServiceClient(IConfiguration configuration, QueueClientOptions options, Func<TokenCredential>? credential = null) =>
        ConnectionString(configuration) is { } connectionString
            ? Parsed(() => new QueueServiceClient(connectionString, options))
            : new QueueServiceClient(ServiceUri(configuration, "queueServiceUri", "queue"), (credential ?? (() => Credential(configuration)))(), options);

    /// <summary>The SDK's "Connection string parsing error" says neither which setting nor what it lacks: this does.</summary>
    private static T Parsed<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"'{SettingName}' is not a storage connection string: it needs AccountName and AccountKey " +
                "(or UseDevelopmentStorage=true for Azurite). For managed identity set " +
                $"'{SettingName}__accountName' and '{SettingName}__credential=managedidentity' instead. ({ex.Message})", ex);
        }
    }

    private static Uri ServiceUri(IConfiguration configuration, string key, string service)
    {
        var section = configuration.GetSection(SettingName);
        if (section[key] is { Length: > 0 } uri)
        {
            return new Uri(uri.TrimEnd('/'));
        }
        if (section["accountName"] is { Length: > 0 } accountName)
        {
            return new Uri($"https://{accountName}.{service}.core.windows.net");
        }
        throw new InvalidOperationException(
            $"No storage connection is configured. Set '{SettingName}' to a connection string (UseDevelopmentStorage=true for Azurite), " +
            $"or set '{SettingName}__{key}' (or '{SettingName}__accountName') with '{SettingName}__credential=managedidentity' for managed identity.");
    }

    /// <summary>
    /// <c>__credential</c> as the host reads it: <c>managedidentity</c> (as deployed; <c>__clientId</c> names a
    /// user-assigned identity), <c>azurecli</c> (the developer's <c>az login</c>, for the app's commands run
    /// locally against the deployed account), or absent (<c>DefaultAzureCredential</c>).
    /// </summary>
    public static TokenCredential Credential(IConfiguration configuration)
    {
        var section = configuration.GetSection(SettingName);
        var kind = section["credential"];
        var clientId = section["clientId"];
        if (string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }
        if (string.Equals(kind, "azurecli", StringComparison.OrdinalIgnoreCase))
        {
            return new AzureCliCredential();
        }
        return string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
