using Azure.Data.Tables;
using Trackelio.Functions.Webhooks;

namespace Trackelio.Functions.Tests.Infrastructure;

/// <summary>The proxy's request log, counting what the Azure SDK really sends through it to Azurite.</summary>
public sealed class TableRequestLogTests
{
    [Fact]
    public async Task A_retried_read_counts_once_and_outbox_rows_are_left_out()
    {
        await using var proxy = await StorageProxy.StartAsync(await AzuriteServer.GetAsync());
        var name = "log" + Guid.NewGuid().ToString("N")[..20];
        var table = proxy.CreateAccount().GetTableClient(name);
        await table.CreateAsync();
        await table.AddEntityAsync(new TableEntity("p", "row"));
        await table.AddEntityAsync(new TableEntity("p", EventOutbox.RowPrefix + "01J"));
        var mark = proxy.Log.Count;

        await table.GetEntityAsync<TableEntity>("p", "row");
        proxy.Faults.LoseNextResponse(r => r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.Contains("RowKey='row'", StringComparison.Ordinal));
        await table.GetEntityAsync<TableEntity>("p", "row"); // its answer lost once: the SDK sends it again
        await table.GetEntityIfExistsAsync<TableEntity>("p", EventOutbox.RowPrefix + "01J"); // a flush finding its row
        await table.GetEntityIfExistsAsync<TableEntity>("p", EventOutbox.RowPrefix + "02K"); // a flush finding none
        await table.DeleteEntityAsync("p", EventOutbox.RowPrefix + "01J");
        await table.UpdateEntityAsync(new TableEntity("p", "row") { ["Seen"] = true }, Azure.ETag.All);
        await table.QueryAsync<TableEntity>("PartitionKey eq 'p'").ToListAsync();

        Assert.Equal(1, proxy.Faults.Lost);
        Assert.Equal(8, proxy.Log.Count - mark); // every attempt passed the proxy
        Assert.Equal((1, 2, 1), proxy.Log.To(name, mark));
    }
}
