using System.Security.Cryptography;

namespace Trackelio.Functions.Api;

/// <summary>
/// Prefixed, time-sortable identifiers: <c>fb_</c> + 26 lower-case Crockford base32
/// characters (48 bits of milliseconds, then 80 random bits), like a ULID. Ids of one kind
/// sort by creation time as plain strings.
/// </summary>
public static class Ids
{
    public const string Feedback = "fb";
    public const string Attachment = "att";
    public const string Conversation = "conv";
    public const string Message = "msg";
    public const string Response = "rsp";
    public const string Survey = "srv";
    public const string Announcement = "ann";
    public const string Widget = "wdg";
    public const string Workspace = "ws";
    public const string User = "usr";
    public const string Webhook = "whk";
    public const string Request = "req";
    public const string ApiKey = "key";
    public const string WebhookDelivery = "whd";
    public const string Mail = "mail";

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int EncodedLength = 26;

    public static string New(string prefix) => New(prefix, DateTimeOffset.UtcNow);

    public static string New(string prefix, DateTimeOffset time)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        return Compose(prefix, time, random);
    }

    /// <summary>
    /// The same id for the same <paramref name="time"/> and <paramref name="seed"/>: used where a
    /// retried request must land on the record the first attempt made (idempotency keys).
    /// </summary>
    public static string Deterministic(string prefix, DateTimeOffset time, ReadOnlySpan<byte> seed)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(seed, hash);
        return Compose(prefix, time, hash[..10]);
    }

    /// <summary>True when <paramref name="id"/> has the prefix and a well-formed body.</summary>
    public static bool IsValid(string? id, string prefix)
    {
        if (id is null || id.Length != prefix.Length + 1 + EncodedLength || !id.StartsWith(prefix, StringComparison.Ordinal) || id[prefix.Length] != '_')
        {
            return false;
        }
        foreach (var c in id.AsSpan(prefix.Length + 1))
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The smallest id of this kind made at <paramref name="time"/>: ids ≥ it were made at or after it.</summary>
    public static string LowerBound(string prefix, DateTimeOffset time) => Compose(prefix, time, stackalloc byte[10]);

    /// <summary>
    /// The id with every character mirrored in the alphabet: sorting the results ascending lists
    /// the originals newest first (Table Storage only scans ascending).
    /// </summary>
    public static string Invert(string id)
    {
        var body = id.IndexOf('_', StringComparison.Ordinal) + 1;
        return string.Create(id.Length - body, id, (chars, source) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = Alphabet[31 - Alphabet.IndexOf(source[body + i], StringComparison.Ordinal)];
            }
        });
    }

    /// <summary>When the id was made (to the millisecond).</summary>
    public static DateTimeOffset TimeOf(string id)
    {
        var body = id.AsSpan(id.IndexOf('_', StringComparison.Ordinal) + 1, 10);
        long ms = 0;
        foreach (var c in body)
        {
            ms = (ms << 5) | (long)Alphabet.IndexOf(c, StringComparison.Ordinal);
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    private static string Compose(string prefix, DateTimeOffset time, ReadOnlySpan<byte> random)
    {
        // 128 bits: 48-bit big-endian milliseconds, then 80 random bits; written 5 bits at a time.
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)time.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(ms >> (40 - (8 * i)));
        }
        random[..10].CopyTo(bytes[6..]);

        Span<char> chars = stackalloc char[EncodedLength];
        // 130 bits of output for 128 bits of input: the first character carries 3 bits.
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        for (var i = EncodedLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
        return string.Concat(prefix, "_", chars);
    }
}
