using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Trackelio.Functions.Storage;

namespace Trackelio.Functions.Tests.Storage;

public sealed class StorageConnectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Development_storage_points_at_azurite_with_the_well_known_key()
    {
        var connection = StorageConnection.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal("devstoreaccount1", connection.AccountKey?.AccountName);
    }

    [Fact]
    public void Account_connection_string_derives_endpoints_from_protocol_and_suffix()
    {
        var connection = StorageConnection.Parse("DefaultEndpointsProtocol=https;AccountName=trk;AccountKey=a2V5;EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://trk.blob.core.chinacloudapi.cn"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://trk.table.core.chinacloudapi.cn"), connection.TableEndpoint);
        Assert.NotNull(connection.AccountKey);
        Assert.Null(connection.TokenCredential);
    }

    [Fact]
    public void Explicit_endpoints_win()
    {
        var connection = StorageConnection.Parse("AccountName=trk;AccountKey=a2V5;QueueEndpoint=http://localhost:9/trk/");

        Assert.Equal(new Uri("http://localhost:9/trk"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://trk.blob.core.windows.net"), connection.BlobEndpoint);
    }

    [Fact]
    public void Connection_string_without_a_key_is_refused()
    {
        Assert.Throws<FormatException>(() => StorageConnection.Parse("AccountName=trk"));
    }

    [Fact]
    public void Identity_settings_use_a_managed_identity_and_bearer_tokens()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:accountName", "trk"),
            ("AzureWebJobsStorage:credential", "managedidentity"),
            ("AzureWebJobsStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.Null(connection.AccountKey);
        Assert.IsType<ManagedIdentityCredential>(connection.TokenCredential);
        Assert.Equal(new Uri("https://trk.table.core.windows.net"), connection.TableEndpoint);
    }

    [Fact]
    public void Identity_settings_accept_service_uris()
    {
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:blobServiceUri", "https://b.example/"),
            ("AzureWebJobsStorage:queueServiceUri", "https://q.example/"),
            ("AzureWebJobsStorage:tableServiceUri", "https://t.example/")));

        Assert.Equal(new Uri("https://b.example"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://q.example"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://t.example"), connection.TableEndpoint);
        Assert.IsType<DefaultAzureCredential>(connection.TokenCredential);
    }

    [Fact]
    public void Identity_settings_with_credential_azurecli_use_the_az_login_sign_in()
    {
        // What README "Deploy" has a developer set to run `bootstrap` against the deployed account.
        var connection = StorageConnection.FromConfiguration(Config(
            ("AzureWebJobsStorage:accountName", "sttrackelio"),
            ("AzureWebJobsStorage:credential", "AzureCli")));

        Assert.IsType<AzureCliCredential>(connection.TokenCredential);
        Assert.Null(connection.AccountKey);
        Assert.Equal(new Uri("https://sttrackelio.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://sttrackelio.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://sttrackelio.table.core.windows.net"), connection.TableEndpoint);
    }

    [Fact]
    public void Missing_connection_says_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromConfiguration(Config()));

        Assert.Contains("UseDevelopmentStorage=true", error.Message, StringComparison.Ordinal);
    }
}
