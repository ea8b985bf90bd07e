using System.Buffers;

namespace Gateway.MockLlm.Generation;

/// <summary>
/// A deterministic completion: <see cref="Tokens"/> words chosen from the <see cref="Vocabulary"/> by
/// the request's seed. Word <c>i</c> depends only on (seed, i), so any range can be written without
/// materialising the rest, and a capped completion is a prefix of the uncapped one.
/// </summary>
internal readonly struct Completion(Vocabulary vocabulary, ulong seed, int tokens)
{
    public int Tokens { get; } = tokens;

    private int WordAt(int position) =>
        (int)(RequestSeed.Mix(seed + ((ulong)(uint)position * 0x9E3779B97F4A7C15UL)) % (ulong)vocabulary.Count);

    /// <summary>UTF-8 length of words [start, end).</summary>
    public int Utf8Length(int start, int end)
    {
        var length = 0;
        for (var i = start; i < end; i++) length += vocabulary.Word(WordAt(i), i == 0).Length;
        return length;
    }

    /// <summary>Writes words [start, end) into <paramref name="destination"/> (sized with <see cref="Utf8Length"/>).</summary>
    public int CopyTo(Span<byte> destination, int start, int end)
    {
        var written = 0;
        for (var i = start; i < end; i++)
        {
            var word = vocabulary.Word(WordAt(i), i == 0);
            word.CopyTo(destination[written..]);
            written += word.Length;
        }
        return written;
    }

    /// <summary>Words [start, end) as a rented UTF-8 buffer; dispose it to return the array.</summary>
    public RentedText Rent(int start, int end)
    {
        var length = Utf8Length(start, end);
        var array = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        CopyTo(array, start, end);
        return new RentedText(array, length);
    }

    public RentedText RentAll() => Rent(0, Tokens);

    /// <summary>The whole text as a string (tests and realtime conversation items).</summary>
    public string ToText()
    {
        using var text = RentAll();
        return System.Text.Encoding.UTF8.GetString(text.Span);
    }

    /// <summary>First token of chunk <paramref name="chunk"/> when <see cref="Tokens"/> tokens are split into <paramref name="chunks"/> chunks.</summary>
    public static int ChunkStart(int tokens, int chunks, int chunk) => (int)((long)chunk * tokens / chunks);
}

/// <summary>A rented UTF-8 buffer holding generated text.</summary>
internal readonly struct RentedText(byte[] array, int length) : IDisposable
{
    public ReadOnlySpan<byte> Span => array.AsSpan(0, length);

    public void Dispose() => ArrayPool<byte>.Shared.Return(array);
}
