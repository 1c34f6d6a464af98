using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Trackelio.Functions.Hosting;
using Trackelio.Functions.Tests.Infrastructure;

namespace Trackelio.Functions.Tests.Hosting;

/// <summary>Every form the host writes a value in (built with the host's rules) reads back to what the trigger carried.</summary>
public sealed class HostInvocationValueTests
{
    /// <summary>One value as it stands in the invocation body: the host's value, serialized as the host serializes the body.</summary>
    private static JsonNode? AsSent(object value, HostInvocation.DataType type = HostInvocation.DataType.String) =>
        JsonNode.Parse(JsonConvert.SerializeObject(new { v = HostInvocation.GetHttpScriptInvocationContextValue(value, type) }))!["v"];

    [Theory]
    [InlineData("{\"feedback_id\":\"fb_1\",\"text\":\"a \\\"quoted\\\" word\"}")]
    [InlineData("{}")]
    [InlineData("[1,\"two\"]")]
    [InlineData("  {\"leading\":\"space\"}")]
    [InlineData("\"a JSON string literal as the message\"")]
    [InlineData("plain text, not JSON")]
    [InlineData("ünïcödé ✓")]
    public void Text_message_reads_back_from_the_hosts_string_form(string text)
    {
        var sent = AsSent(text);

        Assert.Equal(JsonConvert.SerializeObject(text), sent!.GetValue<string>()); // the host's double encoding
        Assert.Equal(text, HostInvocationValue.MessageText(sent));
    }

    [Theory]
    [InlineData(HostInvocation.DataType.String)]
    [InlineData(HostInvocation.DataType.Binary)]
    public void Bytes_read_back_from_base64(HostInvocation.DataType type)
    {
        const string text = "{\"feedback_id\":\"fb_2\"}";

        var sent = AsSent(Encoding.UTF8.GetBytes(text), type);

        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)), sent!.GetValue<string>());
        Assert.Equal(text, HostInvocationValue.MessageText(sent));
    }

    [Fact]
    public void Object_reads_back_as_its_json()
    {
        var sent = AsSent(JObject.Parse("{\"feedback_id\":\"fb_3\",\"n\":1}"));

        Assert.IsType<JsonObject>(sent);
        Assert.Equal("{\"feedback_id\":\"fb_3\",\"n\":1}", HostInvocationValue.MessageText(sent));
    }

    [Fact]
    public void Plain_json_text_in_a_string_is_taken_as_it_is()
    {
        Assert.Equal("{\"a\":1}", HostInvocationValue.MessageText(JsonValue.Create("{\"a\":1}")));
    }

    [Theory]
    [InlineData("\"not closed")]
    [InlineData("\"a\" trailing")]
    [InlineData("*not base64*")]
    [InlineData("//79")] // base64 of bytes that are not UTF-8
    public void Value_in_no_host_form_is_a_format_error(string value)
    {
        Assert.Throws<FormatException>(() => HostInvocationValue.MessageText(JsonValue.Create(value)));
    }

    [Fact]
    public void Metadata_scalars_read_back_from_the_hosts_forms()
    {
        var id = Guid.NewGuid().ToString();

        Assert.Equal("\"" + id + "\"", AsSent(id)!.GetValue<string>());
        Assert.Equal(id, HostInvocationValue.MetadataText(AsSent(id)));
        Assert.Equal("1", AsSent(1L)!.GetValue<string>());
        Assert.Equal(1, HostInvocationValue.MetadataInteger(AsSent(1L)));
        Assert.Equal(7, HostInvocationValue.MetadataInteger(JsonValue.Create(7)));
        Assert.Equal(3, HostInvocationValue.MetadataInteger(JsonValue.Create("\"3\"")));
        Assert.Null(HostInvocationValue.MetadataInteger(null));
        Assert.Throws<FormatException>(() => HostInvocationValue.MetadataInteger(JsonValue.Create("many")));
    }
}
