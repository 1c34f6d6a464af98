using Trackelio.Functions.Api;

namespace Trackelio.Functions.Tests.Api;

public sealed class IdsTests
{
    [Fact]
    public void New_id_has_prefix_and_is_valid()
    {
        var id = Ids.New(Ids.Feedback);

        Assert.StartsWith("fb_", id);
        Assert.Equal(3 + 26, id.Length);
        Assert.True(Ids.IsValid(id, Ids.Feedback));
        Assert.False(Ids.IsValid(id, Ids.Attachment));
    }

    [Fact]
    public void Ids_sort_by_creation_time_as_strings()
    {
        var start = new DateTimeOffset(2025, 1, 14, 9, 41, 22, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 500).Select(i => Ids.New(Ids.Message, start.AddMilliseconds(i * 7))).ToList();

        Assert.Equal(ids, ids.OrderBy(id => id, StringComparer.Ordinal));
    }

    [Fact]
    public void Time_of_an_id_is_when_it_was_made()
    {
        var when = new DateTimeOffset(2031, 5, 6, 7, 8, 9, 123, TimeSpan.Zero);

        Assert.Equal(when, Ids.TimeOf(Ids.New(Ids.Workspace, when)));
    }

    [Fact]
    public void Deterministic_ids_repeat_for_the_same_seed_only()
    {
        var when = DateTimeOffset.UtcNow;

        var a = Ids.Deterministic(Ids.Feedback, when, "key-1"u8);
        var b = Ids.Deterministic(Ids.Feedback, when, "key-1"u8);
        var c = Ids.Deterministic(Ids.Feedback, when, "key-2"u8);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData("fb_")]
    [InlineData("fb_0123456789abcdefghjkmnpqr")]
    [InlineData("fb_0123456789abcdefghjkmnpqrU")]
    [InlineData("fb_0123456789abcdefghjkmnpqi")]
    [InlineData("fb-0123456789abcdefghjkmnpqrs")]
    [InlineData(null)]
    public void Malformed_ids_are_invalid(string? id)
    {
        Assert.False(Ids.IsValid(id, Ids.Feedback));
    }
}
