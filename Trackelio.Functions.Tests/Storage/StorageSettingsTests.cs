using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Storage;

/// <summary>The SDK clients are built from <c>AzureWebJobsStorage</c> the way the Functions host reads it.</summary>
public sealed class StorageSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Development_storage_points_at_azurite_with_the_well_known_key()
    {
        var config = Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true"));

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), StorageSettings.CreateBlobServiceClient(config, new()).Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), StorageSettings.CreateQueueServiceClient(config, new()).Uri);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), StorageSettings.CreateTableServiceClient(config, new()).Uri);
        Assert.Equal(StorageSettings.DevelopmentAccountKey, StorageSettings.AccountKey(config));
    }

    [Fact]
    public void Account_connection_string_derives_endpoints_from_protocol_and_suffix()
    {
        var config = Config(("AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=trk;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn"));

        Assert.Equal("https://trk.blob.core.chinacloudapi.cn/", StorageSettings.CreateBlobServiceClient(config, new()).Uri.AbsoluteUri);
        Assert.Equal("https://trk.table.core.chinacloudapi.cn/", StorageSettings.CreateTableServiceClient(config, new()).Uri.AbsoluteUri);
        Assert.Equal("a2V5", StorageSettings.AccountKey(config));
    }

    [Fact]
    public void Connection_string_may_be_a_named_connection_string()
    {
        var config = Config(("ConnectionStrings:AzureWebJobsStorage", "AccountName=trk;AccountKey=a2V5;QueueEndpoint=http://localhost:9/trk/"));

        Assert.Equal("http://localhost:9/trk/", StorageSettings.CreateQueueServiceClient(config, new()).Uri.AbsoluteUri);
    }

    [Fact]
    public void Identity_settings_use_a_managed_identity_and_no_key()
    {
        var config = Config(
            ("AzureWebJobsStorage:accountName", "trk"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001"));

        Assert.IsType<ManagedIdentityCredential>(StorageSettings.Credential(config));
        Assert.Null(StorageSettings.AccountKey(config));
        Assert.Equal("https://trk.table.core.windows.net/", StorageSettings.CreateTableServiceClient(config, new()).Uri.AbsoluteUri);
    }

    [Fact]
    public void Identity_settings_accept_service_uris()
    {
        var config = Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://b.example/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://q.example/"),
            ("AzureWebJobsStorage:tableServiceUri", "https://t.example/"));

        Assert.Equal("b.example", StorageSettings.CreateBlobServiceClient(config, new()).Uri.Host);
        Assert.Equal("q.example", StorageSettings.CreateQueueServiceClient(config, new()).Uri.Host);
        Assert.Equal("t.example", StorageSettings.CreateTableServiceClient(config, new()).Uri.Host);
        Assert.IsType<DefaultAzureCredential>(StorageSettings.Credential(config));
    }

    [Fact]
    public void Identity_settings_with_credential_azurecli_use_the_az_login_sign_in()
    {
        // What docs/deploy.md has a developer set to run `bootstrap` against the deployed account.
        var config = Config(
            ("AzureWebJobsStorage:accountName", "sttrackelio"),
            ("AzureWebJobsStorage:credential", "AzureCli"));

        Assert.IsType<AzureCliCredential>(StorageSettings.Credential(config));
        Assert.Equal("sttrackelio.queue.core.windows.net", StorageSettings.CreateQueueServiceClient(config, new()).Uri.Host);
    }

    [Fact]
    public void Connection_string_without_a_key_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<FormatException>(() => StorageSettings.CreateBlobServiceClient(Config(("AzureWebJobsStorage", "AccountName=trk")), new()));

        Assert.Contains("'AzureWebJobsStorage'", error.Message, StringComparison.Ordinal);
        Assert.Contains("AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_clients_share_one_credential()
    {
        var config = Config(("AzureWebJobsStorage:accountName", "trk"), ("AzureWebJobsStorage:credential", "managedidentity"));
        var made = 0;
        Azure.Core.TokenCredential Make()
        {
            made++;
            return StorageSettings.Credential(config);
        }
        var credential = new Lazy<Azure.Core.TokenCredential>(Make);

        StorageSettings.CreateTableServiceClient(config, new(), () => credential.Value);
        StorageSettings.CreateBlobServiceClient(config, new(), () => credential.Value);
        StorageSettings.CreateQueueServiceClient(config, new(), () => credential.Value);

        Assert.Equal(1, made);
    }

    [Fact]
    public void Missing_connection_says_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageSettings.CreateTableServiceClient(Config(), new()));

        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Queue_clients_send_base64_as_the_host_queue_trigger_reads_by_default()
    {
        var options = StorageClientOptions.Queues(new StorageRequestCounter());

        Assert.Equal(QueueMessageEncoding.Base64, options.MessageEncoding);
    }

    [Fact]
    public void The_app_registers_the_sdk_clients_once_with_AddAzureClients()
    {
        var services = new ServiceCollection()
            .AddSingleton(Config(("AzureWebJobsStorage", "UseDevelopmentStorage=true")))
            .AddLogging();
        services.AddStorage();
        using var provider = services.BuildServiceProvider();

        var account = provider.GetRequiredService<StorageAccount>();

        Assert.Same(provider.GetRequiredService<TableServiceClient>(), account.Tables);
        Assert.Same(provider.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>(), account.Blobs);
        Assert.Same(provider.GetRequiredService<QueueServiceClient>(), account.Queues);
        Assert.Same(provider.GetRequiredService<Microsoft.Extensions.Azure.IAzureClientFactory<TableServiceClient>>().CreateClient("Default"), account.Tables);
    }
}
