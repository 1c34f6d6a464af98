using Azure;
using Azure.Data.Tables;
using Moq;
using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Tests.Storage;

public sealed class TableQueriesTests
{
    private static Mock<TableClient> TableAnswering(params Page<TableEntity>[] pages)
    {
        var table = new Mock<TableClient>(MockBehavior.Strict);
        table.Setup(t => t.QueryAsync<TableEntity>(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<IEnumerable<string>>(), It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<TableEntity>.FromPages(pages));
        return table;
    }

    [Fact]
    public async Task A_page_never_asks_for_more_than_the_service_gives()
    {
        // The service refuses $top over 1000; Azurite caps it quietly, so only a mock shows what is asked.
        var table = TableAnswering(Page<TableEntity>.FromValues([new TableEntity("p", "r")], null, Mock.Of<Response>()));

        await table.Object.QueryOnePageAsync("PartitionKey eq 'p'", 100_000);
        await table.Object.QueryOnePageAsync("PartitionKey eq 'p'", 0);

        table.Verify(t => t.QueryAsync<TableEntity>("PartitionKey eq 'p'", 1000, null, It.IsAny<CancellationToken>()), Times.Once);
        table.Verify(t => t.QueryAsync<TableEntity>("PartitionKey eq 'p'", 1, null, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task The_last_page_has_no_continuation_token()
    {
        // The SDK ends with an empty token; the keyset cursors test for null.
        var table = TableAnswering(Page<TableEntity>.FromValues([new TableEntity("p", "r")], "", Mock.Of<Response>()));

        var page = await table.Object.QueryOnePageAsync("PartitionKey eq 'p'", 10);

        Assert.Null(page.ContinuationToken);
        Assert.Equal("r", Assert.Single(page.Values).RowKey);
    }

    [Fact]
    public void And_parenthesises_and_skips_empty_parts()
    {
        Assert.Null(TableQueries.And(null, " "));
        Assert.Equal("PartitionKey eq 'a'", TableQueries.And(TableClient.CreateQueryFilter($"PartitionKey eq {"a"}"), null));
        Assert.Equal("(PartitionKey eq 'a''b') and (RowKey gt 'x')",
            TableQueries.And(TableClient.CreateQueryFilter($"PartitionKey eq {"a'b"}"), TableClient.CreateQueryFilter($"RowKey gt {"x"}")));
    }
}
