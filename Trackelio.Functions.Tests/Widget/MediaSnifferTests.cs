using Trackelio.Functions.Attachments;

namespace Trackelio.Functions.Tests.Widget;

public sealed class MediaSnifferTests
{
    public static TheoryData<byte[], string?> Samples => new()
    {
        { [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "image/png" },
        { [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46], "image/jpeg" },
        { "RIFF\x24\0\0\0WEBPVP8 "u8.ToArray(), "image/webp" },
        { [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81], "video/webm" },
        { [0, 0, 0, 0x20, .. "ftypisom"u8.ToArray()], "video/mp4" },
        { "MZ\x90\0\x03\0\0\0"u8.ToArray(), null },
        { "GIF89a\x01\0"u8.ToArray(), null },
        { "<svg xmlns="u8.ToArray(), null },
        { "RIFF\x24\0\0\0WAVEfmt "u8.ToArray(), null },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Type_is_decided_by_the_leading_bytes(byte[] head, string? expected)
    {
        Assert.Equal(expected, MediaSniffer.Detect(head)?.ContentType);
    }
}
