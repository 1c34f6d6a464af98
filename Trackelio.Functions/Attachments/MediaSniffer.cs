namespace Trackelio.Functions.Attachments;

/// <summary>What an upload is, decided by its leading bytes, never by the header it came with.</summary>
public sealed record MediaType(string ContentType, AttachmentKind Kind);

public enum AttachmentKind
{
    Screenshot,
    Recording,
}

public static class MediaSniffer
{
    /// <summary>Every type an upload can be stored as (what the download link answers with).</summary>
    public static readonly string[] ContentTypes = ["image/png", "image/jpeg", "image/webp", "video/webm", "video/mp4"];

    /// <summary>How many leading bytes <see cref="Detect"/> needs.</summary>
    public const int HeaderLength = 16;

    public static MediaType? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return new("image/png", AttachmentKind.Screenshot);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return new("image/jpeg", AttachmentKind.Screenshot);
        }
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return new("image/webp", AttachmentKind.Screenshot);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return new("video/webm", AttachmentKind.Recording); // EBML: WebM (and Matroska, its parent format)
        }
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return new("video/mp4", AttachmentKind.Recording); // ISO base media file
        }
        return null;
    }
}
