using Azure.Core;
using Azure.Identity;

namespace Trackelio.Functions.Storage;

/// <summary>
/// Where the storage account is and how to authenticate to it, read exactly as the Azure
/// Functions host reads <c>AzureWebJobsStorage</c>: either a connection string, or the
/// identity-based settings <c>AzureWebJobsStorage__accountName</c> /
/// <c>__blobServiceUri</c> / <c>__queueServiceUri</c> / <c>__tableServiceUri</c> with
/// <c>__credential</c> and <c>__clientId</c>. <c>__credential</c> is <c>managedidentity</c> (as deployed),
/// <c>azurecli</c> (the developer's <c>az login</c>, for the app's commands run locally), or absent
/// (<c>DefaultAzureCredential</c>).
/// </summary>
public sealed class StorageConnection
{
    /// <summary>The setting that names the app's storage, as the Functions host reads it too.</summary>
    public const string SettingName = "AzureWebJobsStorage";

    public const string DevelopmentAccountName = "devstoreaccount1";

    // The well-known Azurite/Storage Emulator key; not a secret.
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageConnection(Uri blob, Uri queue, Uri table, string? accountName,
        StorageAccountKeyCredential? key, TokenCredential? token)
    {
        BlobEndpoint = blob;
        QueueEndpoint = queue;
        TableEndpoint = table;
        AccountName = accountName;
        AccountKey = key;
        TokenCredential = token;
    }

    public Uri BlobEndpoint { get; }
    public Uri QueueEndpoint { get; }
    public Uri TableEndpoint { get; }
    public string? AccountName { get; }

    /// <summary>Set for key-based connections (Shared Key / Shared Key Lite signing).</summary>
    public StorageAccountKeyCredential? AccountKey { get; }

    /// <summary>Set for identity-based connections (bearer tokens from Azure.Identity).</summary>
    public TokenCredential? TokenCredential { get; }

    /// <summary>The connection string of an Azurite listening on loopback at the given ports.</summary>
    public static string EmulatorConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={DevelopmentAccountName};AccountKey={DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{DevelopmentAccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{DevelopmentAccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{DevelopmentAccountName};";

    /// <summary>An identity-based connection to explicit service endpoints.</summary>
    public static StorageConnection WithTokenCredential(Uri blob, Uri queue, Uri table, TokenCredential credential) =>
        new(blob, queue, table, accountName: null, key: null, token: credential);

    /// <summary>Reads the connection named <paramref name="name"/> from configuration.</summary>
    public static StorageConnection FromConfiguration(IConfiguration configuration, string name = SettingName)
    {
        var value = configuration[name] ?? configuration.GetConnectionString(name);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return Parse(value);
        }

        var section = configuration.GetSection(name);
        if (section.GetChildren().Any())
        {
            return FromIdentitySettings(section);
        }

        throw new InvalidOperationException(
            $"No storage connection is configured. Set '{name}' to a connection string " +
            $"(UseDevelopmentStorage=true for Azurite) or set '{name}__accountName' for managed identity.");
    }

    /// <summary>Parses a storage connection string.</summary>
    public static StorageConnection Parse(string connectionString)
    {
        var parts = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);

        if (parts.TryGetValue("UseDevelopmentStorage", out var dev) && bool.TryParse(dev, out var useDev) && useDev)
        {
            var proxy = parts.TryGetValue("DevelopmentStorageProxyUri", out var p) ? new Uri(p) : new Uri("http://127.0.0.1");
            var host = $"{proxy.Scheme}://{proxy.Host}";
            return new StorageConnection(
                new Uri($"{host}:10000/{DevelopmentAccountName}"),
                new Uri($"{host}:10001/{DevelopmentAccountName}"),
                new Uri($"{host}:10002/{DevelopmentAccountName}"),
                DevelopmentAccountName,
                new StorageAccountKeyCredential(DevelopmentAccountName, DevelopmentAccountKey),
                token: null);
        }

        parts.TryGetValue("AccountName", out var accountName);
        parts.TryGetValue("AccountKey", out var accountKey);
        var protocol = parts.TryGetValue("DefaultEndpointsProtocol", out var proto) ? proto : "https";
        var suffix = parts.TryGetValue("EndpointSuffix", out var sfx) ? sfx : "core.windows.net";

        Uri Endpoint(string key, string service)
        {
            if (parts.TryGetValue(key, out var explicitEndpoint))
            {
                return new Uri(explicitEndpoint.TrimEnd('/'));
            }
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException($"The storage connection string has neither {key} nor AccountName.");
            }
            return new Uri($"{protocol}://{accountName}.{service}.{suffix}");
        }

        var blob = Endpoint("BlobEndpoint", "blob");
        var queue = Endpoint("QueueEndpoint", "queue");
        var table = Endpoint("TableEndpoint", "table");
        if (string.IsNullOrEmpty(accountName) || string.IsNullOrEmpty(accountKey))
        {
            throw new FormatException("The storage connection string needs AccountName and AccountKey (or UseDevelopmentStorage=true).");
        }

        return new StorageConnection(blob, queue, table, accountName,
            new StorageAccountKeyCredential(accountName, accountKey), token: null);
    }

    private static StorageConnection FromIdentitySettings(IConfigurationSection section)
    {
        var accountName = section["accountName"];
        Uri Endpoint(string key, string service) =>
            section[key] is { Length: > 0 } uri ? new Uri(uri.TrimEnd('/'))
            : !string.IsNullOrEmpty(accountName) ? new Uri($"https://{accountName}.{service}.core.windows.net")
            : throw new InvalidOperationException(
                $"Identity-based storage settings need '{section.Path}__accountName' or '{section.Path}__{key}'.");

        return new StorageConnection(
            Endpoint("blobServiceUri", "blob"),
            Endpoint("queueServiceUri", "queue"),
            Endpoint("tableServiceUri", "table"),
            accountName,
            key: null,
            token: CreateCredential(section["credential"], section["clientId"]));
    }

    private static TokenCredential CreateCredential(string? kind, string? clientId)
    {
        if (string.Equals(kind, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return string.IsNullOrEmpty(clientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        // Not a value the Functions host knows (it would use DefaultAzureCredential, which tries the
        // Azure CLI too): for running the app's commands on a developer machine against the
        // deployed account with the `az login` sign-in only, without probing for a managed identity.
        if (string.Equals(kind, "azurecli", StringComparison.OrdinalIgnoreCase))
        {
            return new AzureCliCredential();
        }

        // No explicit credential: the developer's own sign-in (Azure CLI, VS) or an environment credential.
        return string.IsNullOrEmpty(clientId)
            ? new DefaultAzureCredential()
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
    }
}
