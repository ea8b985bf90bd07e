using System.Buffers;

namespace Gateway.Proxy.Pipeline;

/// <summary>Request ids: the caller's when sane (1–128 of <c>[A-Za-z0-9._:-]</c>), else a new one.</summary>
internal static class RequestIds
{
    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    public static bool IsSane(ReadOnlySpan<char> id) => id.Length is > 0 and <= 128 && id.IndexOfAnyExcept(Allowed) < 0;

    /// <summary>The caller's id when exactly one sane value was sent, else a fresh one.</summary>
    public static string FromHeader(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && values[0] is { } id && IsSane(id) ? id : New();

    /// <summary>
    /// <c>req_</c> and a UUIDv7 in 32 hex digits (RFC 9562: 48 bits of Unix milliseconds, then 74
    /// random bits), so ids sort by time. The random bits come from <see cref="Random.Shared"/>
    /// (seeded by the OS): <c>Guid.NewGuid</c>'s bytes are not cryptographic either on Linux, and
    /// there each one is a read of <c>/dev/urandom</c>, a system call per request.
    /// </summary>
    public static string New()
    {
        Span<byte> uuid = stackalloc byte[16];
        Random.Shared.NextBytes(uuid[6..]);
        var milliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--, milliseconds >>= 8) uuid[i] = (byte)milliseconds;
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x70);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return string.Create(36, uuid, static (span, bytes) =>
        {
            "req_".CopyTo(span);
            Convert.TryToHexStringLower(bytes, span[4..], out _);
        });
    }
}
