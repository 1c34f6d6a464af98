using Trackelio.Functions.Storage.Tables;

namespace Trackelio.Functions.Tests.Storage;

public sealed class TableFilterTests
{
    [Theory]
    [InlineData("plain", "PartitionKey eq 'plain'")]
    [InlineData("O'Brien", "PartitionKey eq 'O''Brien'")]
    [InlineData("' or PartitionKey ne '", "PartitionKey eq ''' or PartitionKey ne '''")]
    [InlineData("x') or (1 eq 1", "PartitionKey eq 'x'') or (1 eq 1'")]
    public void String_values_are_quoted_and_escaped(string value, string expected)
    {
        Assert.Equal(expected, TableFilter.Create($"PartitionKey eq {value}"));
    }

    [Fact]
    public void Typed_values_become_odata_literals()
    {
        var when = new DateTimeOffset(2025, 1, 14, 9, 41, 22, TimeSpan.Zero);
        var id = Guid.Parse("d3b07384-d113-4ec6-a3b5-5e2b0f0e8e11");

        var filter = TableFilter.Create($"A eq {42} and B eq {42L} and C eq {true} and D ge {when} and E eq {id} and F eq {1.5}");

        Assert.Equal("A eq 42 and B eq 42L and C eq true and D ge datetime'2025-01-14T09:41:22.0000000Z' and E eq guid'd3b07384-d113-4ec6-a3b5-5e2b0f0e8e11' and F eq 1.5", filter);
    }

    [Fact]
    public void And_parenthesises_and_skips_empty_parts()
    {
        Assert.Equal("(a eq 1) and (b eq 2)", TableFilter.And("a eq 1", null, "", "b eq 2"));
        Assert.Equal("a eq 1", TableFilter.And("a eq 1"));
        Assert.Null(TableFilter.And());
    }

    [Fact]
    public void Unsupported_types_are_refused()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {new object()}"));
    }
}
