using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Proxy.Policies.Admission;

/// <summary>
/// Counts the tokens of a tiktoken byte-level BPE encoding (<c>o200k_base</c>, <c>cl100k_base</c>)
/// without producing them. The text is split at the encoding's special tokens (one token each),
/// cut into pieces by the encoding's published pattern, and each piece is encoded to UTF-8: a piece
/// that is a token counts one; any other is merged pair by pair, lowest rank first (tiktoken's
/// algorithm: a linear scan for pieces up to 128 bytes, a heap above, so a long run of letters
/// costs O(n log n), not O(n²)).
/// <para>
/// The vocabulary is held compactly: every token's bytes in one array and an open-addressing table
/// of entry numbers, each tagged with high bits of its hash so that a probe rarely touches the
/// bytes, filled up to 80 %; ranks are kept only when they are not the line order. ~4.8 MB of heap
/// for both encodings where Microsoft.ML.Tokenizers' dictionaries of arrays and strings took
/// ~63 MB. The vocabularies are read from the Microsoft.ML.Tokenizers.Data packages' embedded
/// files. Counts equal Microsoft.ML.Tokenizers' <c>CountTokens</c> (checked against it on generated
/// and real text by the tests). Thread-safe; counting allocates nothing.
/// </para>
/// <para>
/// A piece's count is also kept in a small direct-mapped cache (4,096 slots of one <c>ulong</c>:
/// 52 bits of the piece's 64-bit hash, seeded per process, and its count), so that the words a text repeats, the
/// common ones of any text, skip the UTF-8 encoding and the probes into the ~1 MB vocabulary
/// table. A slot is read and written whole, so racing threads at worst recount a piece.
/// </para>
/// </summary>
internal sealed partial class BpeCounter
{
    private const int NoRank = int.MaxValue;
    private const int LinearMergeLimit = 128;
    private const int StackBytes = 384;
    private const int CacheBits = 12;
    private const ulong CacheCountMask = (1UL << CacheBits) - 1;
    private const int CachedPieceChars = 64;

    private readonly byte[] _bytes;
    private readonly int[] _starts;
    private readonly int[]? _ranks;
    private readonly uint[] _table;
    private readonly int _mask;
    private readonly uint _entryMask;
    private readonly Regex _pattern;
    private readonly string[] _specialTokens;
    private readonly ulong[] _pieceCache = new ulong[1 << CacheBits];

    // The cache's hash is seeded per process: a piece made to share a cached piece's hash (and be
    // counted as that piece) would have to be made against a seed nobody outside sees. Even then a
    // false hit only changes an estimate; the provider's usage settles the counters.
    private readonly ulong _cacheSeed = (ulong)Random.Shared.NextInt64();

    private BpeCounter(byte[] bytes, int[] starts, int[] ranks, Regex pattern, string[] specialTokens)
    {
        _bytes = bytes;
        _starts = starts;
        _pattern = pattern;
        CutsAsciiByHand = ReferenceEquals(pattern, O200kPattern());
        _specialTokens = specialTokens;
        var entries = ranks.Length;
        // Ranks are the line order in the published files: then the entry number is the rank.
        for (var entry = 0; entry < entries; entry++)
        {
            if (ranks[entry] == entry) continue;
            _ranks = ranks;
            break;
        }
        // A slot holds entry + 1 in its low bits and the high bits of the token's hash above them.
        _entryMask = entries == 0 ? 1u : uint.MaxValue >> System.Numerics.BitOperations.LeadingZeroCount((uint)entries);
        var capacity = 1;
        while (capacity < entries + entries / 4) capacity <<= 1;
        _table = new uint[capacity];
        _mask = capacity - 1;
        for (var entry = 0; entry < entries; entry++)
        {
            var hash = Hash(Token(entry));
            var slot = (int)hash & _mask;
            while (_table[slot] != 0) slot = (slot + 1) & _mask;
            _table[slot] = (hash & ~_entryMask) | (uint)(entry + 1);
        }
    }

    /// <summary>Tokens in the vocabulary (special tokens not included).</summary>
    public int VocabularySize => _starts.Length - 1;

    /// <summary>True when ASCII text is cut into pieces by <see cref="O200kAscii"/> instead of the regex (o200k_base).</summary>
    internal bool CutsAsciiByHand { get; }

    /// <summary>Bytes held for the vocabulary (token bytes, offsets, ranks if not the line order, table) and the piece cache.</summary>
    public long FootprintBytes => _bytes.Length + 4L * (_starts.Length + (_ranks?.Length ?? 0) + _table.Length) + 8L * _pieceCache.Length;

    /// <summary>Loads an encoding from its Microsoft.ML.Tokenizers.Data package.</summary>
    public static BpeCounter Load(string encoding) => encoding switch
    {
        "o200k_base" => Load(encoding, "Microsoft.ML.Tokenizers.Data.O200kBase", "o200k_base.tiktoken.deflate", O200kPattern(), ["<|endoftext|>", "<|endofprompt|>"]),
        "cl100k_base" => Load(encoding, "Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate", Cl100kPattern(),
            ["<|endoftext|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|endofprompt|>"]),
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Known encodings: o200k_base, cl100k_base."),
    };

    private static BpeCounter Load(string name, string assembly, string resource, Regex pattern, string[] specialTokens)
    {
        using var compressed = Assembly.Load(new AssemblyName(assembly)).GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The vocabulary {resource} is missing from {assembly}.");
        using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
        using var reader = new StreamReader(deflate, Encoding.ASCII);
        return Parse(name, reader, pattern, specialTokens);
    }

    /// <summary>
    /// Reads a <c>.tiktoken</c> file: lines of <c>base64 rank</c> (or base64 alone, ranked by line),
    /// optionally after a <c>Capacity: N</c> line.
    /// </summary>
    internal static BpeCounter Parse(string name, TextReader reader, Regex pattern, string[] specialTokens)
    {
        var bytes = new ArrayBufferWriter<byte>(1 << 21);
        var starts = new List<int>(1 << 18) { 0 };
        var ranks = new List<int>(1 << 18);
        Span<byte> token = stackalloc byte[256];
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("Capacity: ", StringComparison.Ordinal)) continue;
            if (line.Length == 0)
            {
                lineNumber++;
                continue;
            }
            var space = line.IndexOf(' ');
            var rank = lineNumber;
            if (!Convert.TryFromBase64Chars(space < 0 ? line : line.AsSpan(0, space), token, out var length) ||
                (space >= 0 && !int.TryParse(line.AsSpan(space + 1), out rank)))
            {
                throw new InvalidDataException($"Line {lineNumber + 1} of the {name} vocabulary is not 'base64 rank'.");
            }
            token[..length].CopyTo(bytes.GetSpan(length));
            bytes.Advance(length);
            starts.Add(bytes.WrittenCount);
            ranks.Add(rank);
            lineNumber++;
        }
        return new BpeCounter(bytes.WrittenSpan.ToArray(), [.. starts], [.. ranks], pattern, specialTokens);
    }

    /// <summary>The number of tokens <paramref name="text"/> encodes to.</summary>
    public int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            var (at, length) = FindSpecialToken(text);
            count += CountOrdinary(at < 0 ? text : text[..at]);
            if (at < 0) break;
            count++;
            text = text[(at + length)..];
        }
        return count;
    }

    /// <summary>The number of tokens UTF-8 <paramref name="utf8"/> encodes to (invalid bytes count as U+FFFD).</summary>
    public int CountUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return 0;
        var max = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        char[]? rented = null;
        var chars = max <= 512 ? stackalloc char[512] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            return Count(chars[..Encoding.UTF8.GetChars(utf8, chars)]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private (int At, int Length) FindSpecialToken(ReadOnlySpan<char> text)
    {
        var from = 0;
        while (true)
        {
            var at = text[from..].IndexOf("<|", StringComparison.Ordinal);
            if (at < 0) return (-1, 0);
            at += from;
            foreach (var special in _specialTokens)
            {
                if (text[at..].StartsWith(special, StringComparison.Ordinal)) return (at, special.Length);
            }
            from = at + 1;
        }
    }

    private int CountOrdinary(ReadOnlySpan<char> text)
    {
        if (CutsAsciiByHand && !text.ContainsAnyExcept(O200kAscii.Chars)) return CountAsciiO200k(text);
        var count = 0;
        foreach (var match in _pattern.EnumerateMatches(text))
        {
            count += CountPieceCached(text.Slice(match.Index, match.Length));
        }
        return count;
    }

    private int CountAsciiO200k(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var at = 0; at < text.Length;)
        {
            var length = O200kAscii.Piece(text, at);
            count += CountPieceCached(text.Slice(at, length));
            at += length;
        }
        return count;
    }

    /// <summary>
    /// A piece's count from the cache: the slot is the hash's low bits, the entry holds the hash's
    /// other bits above the count (a count is at least 1, so an empty slot never matches).
    /// </summary>
    private int CountPieceCached(ReadOnlySpan<char> piece)
    {
        if (piece.Length > CachedPieceChars) return CountPiece(piece);
        var hash = Mix(MemoryMarshal.AsBytes(piece), _cacheSeed);
        ref var slot = ref _pieceCache[(int)(hash & CacheCountMask)];
        var entry = Volatile.Read(ref slot);
        if ((entry & ~CacheCountMask) == (hash & ~CacheCountMask) && (entry & CacheCountMask) != 0) return (int)(entry & CacheCountMask);
        var count = CountPiece(piece);
        if ((uint)count <= CacheCountMask) Volatile.Write(ref slot, (hash & ~CacheCountMask) | (uint)count);
        return count;
    }

    private int CountPiece(ReadOnlySpan<char> piece)
    {
        var max = piece.Length * 3;
        byte[]? rented = null;
        var buffer = max <= StackBytes ? stackalloc byte[StackBytes] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var utf8 = buffer[..EncodeUtf8(piece, buffer)];
            if (utf8.Length == 1 || RankOf(utf8) != NoRank) return 1;
            return utf8.Length <= LinearMergeLimit ? MergeLinear(utf8) : MergeWithHeap(utf8);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>UTF-8, with a lone surrogate encoded as its own three bytes (as Microsoft.ML.Tokenizers does).</summary>
    private static int EncodeUtf8(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < text.Length; i++)
        {
            uint c = text[i];
            if (c < 0x80)
            {
                destination[written++] = (byte)c;
            }
            else if (c < 0x800)
            {
                destination[written++] = (byte)(0xC0 | (c >> 6));
                destination[written++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                var scalar = (uint)char.ConvertToUtf32(text[i], text[i + 1]);
                destination[written++] = (byte)(0xF0 | (scalar >> 18));
                destination[written++] = (byte)(0x80 | ((scalar >> 12) & 0x3F));
                destination[written++] = (byte)(0x80 | ((scalar >> 6) & 0x3F));
                destination[written++] = (byte)(0x80 | (scalar & 0x3F));
                i++;
            }
            else
            {
                destination[written++] = (byte)(0xE0 | (c >> 12));
                destination[written++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                destination[written++] = (byte)(0x80 | (c & 0x3F));
            }
        }
        return written;
    }

    /// <summary>
    /// tiktoken's merge for short pieces: parts as start offsets (the last one is the end), each with
    /// the rank of merging it with the next; merge the lowest (leftmost on a tie) until none is a token.
    /// </summary>
    private int MergeLinear(ReadOnlySpan<byte> piece)
    {
        Span<int> starts = stackalloc int[LinearMergeLimit + 1];
        Span<int> ranks = stackalloc int[LinearMergeLimit + 1];
        var entries = piece.Length + 1;
        for (var i = 0; i < entries; i++)
        {
            starts[i] = i;
            ranks[i] = i + 2 <= piece.Length ? RankOf(piece.Slice(i, 2)) : NoRank;
        }
        while (true)
        {
            var min = NoRank;
            var at = -1;
            for (var i = 0; i < entries - 1; i++)
            {
                if (ranks[i] < min)
                {
                    min = ranks[i];
                    at = i;
                }
            }
            if (at < 0) return entries - 1;
            ranks[at] = at + 3 < entries ? RankOf(piece[starts[at]..starts[at + 3]]) : NoRank;
            if (at > 0) ranks[at - 1] = RankOf(piece[starts[at - 1]..starts[at + 2]]);
            starts[(at + 2)..entries].CopyTo(starts[(at + 1)..]);
            ranks[(at + 2)..entries].CopyTo(ranks[(at + 1)..]);
            entries--;
        }
    }

    /// <summary>
    /// The same merge for long pieces: parts as a linked list over byte offsets and candidate merges in
    /// a min-heap of (rank, start), stale entries skipped; the lowest rank, leftmost on a tie, first.
    /// </summary>
    private int MergeWithHeap(ReadOnlySpan<byte> piece)
    {
        var n = piece.Length;
        var pool = ArrayPool<int>.Shared;
        var end = pool.Rent(n);
        var prev = pool.Rent(n);
        var next = pool.Rent(n);
        var heap = new MergeHeap(3 * n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                end[i] = i + 1;
                prev[i] = i - 1;
                next[i] = i + 2 <= n ? RankOf(piece.Slice(i, 2)) : NoRank;
                if (next[i] != NoRank) heap.Push(next[i], i);
            }
            var parts = n;
            while (heap.TryPop(out var rank, out var start))
            {
                if (next[start] != rank) continue;
                var right = end[start];
                var merged = end[right];
                end[start] = merged;
                next[right] = NoRank;
                parts--;
                next[start] = merged < n ? RankOf(piece[start..end[merged]]) : NoRank;
                if (next[start] != NoRank) heap.Push(next[start], start);
                if (merged < n) prev[merged] = start;
                if (start > 0)
                {
                    var left = prev[start];
                    next[left] = RankOf(piece[left..merged]);
                    if (next[left] != NoRank) heap.Push(next[left], left);
                }
            }
            return parts;
        }
        finally
        {
            pool.Return(end);
            pool.Return(prev);
            pool.Return(next);
            heap.Dispose();
        }
    }

    private int RankOf(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var tag = hash & ~_entryMask;
        var slot = (int)hash & _mask;
        while (true)
        {
            var value = _table[slot];
            if (value == 0) return NoRank;
            if ((value & ~_entryMask) == tag)
            {
                var entry = (int)(value & _entryMask) - 1;
                if (Token(entry).SequenceEqual(key)) return _ranks is null ? entry : _ranks[entry];
            }
            slot = (slot + 1) & _mask;
        }
    }

    private ReadOnlySpan<byte> Token(int entry) => _bytes.AsSpan(_starts[entry], _starts[entry + 1] - _starts[entry]);

    private static uint Hash(ReadOnlySpan<byte> key) => (uint)Mix(key, 0);

    private static ulong Mix(ReadOnlySpan<byte> key, ulong seed)
    {
        var h = 0x9E3779B97F4A7C15UL ^ seed ^ (ulong)key.Length;
        while (key.Length >= 8)
        {
            h = (h ^ BinaryPrimitives.ReadUInt64LittleEndian(key)) * 0xFF51AFD7ED558CCDUL;
            h ^= h >> 29;
            key = key[8..];
        }
        if (key.Length >= 4)
        {
            h = (h ^ BinaryPrimitives.ReadUInt32LittleEndian(key)) * 0xC4CEB9FE1A85EC53UL;
            h ^= h >> 29;
            key = key[4..];
        }
        foreach (var b in key) h = (h ^ b) * 0x100000001B3UL;
        h ^= h >> 33;
        h *= 0xD6E8FEB86659FD93UL;
        h ^= h >> 32;
        return h;
    }

    /// <summary>A binary min-heap of (rank, start) packed in longs, on a pooled array.</summary>
    private struct MergeHeap(int capacity) : IDisposable
    {
        private long[] _items = ArrayPool<long>.Shared.Rent(capacity);
        private int _count;

        public void Push(int rank, int start)
        {
            var item = ((long)rank << 32) | (uint)start;
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (_items[parent] <= item) break;
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }

        public bool TryPop(out int rank, out int start)
        {
            if (_count == 0)
            {
                rank = start = 0;
                return false;
            }
            var top = _items[0];
            var last = _items[--_count];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= _count) break;
                if (child + 1 < _count && _items[child + 1] < _items[child]) child++;
                if (last <= _items[child]) break;
                _items[i] = _items[child];
                i = child;
            }
            _items[i] = last;
            rank = (int)(top >> 32);
            start = (int)(uint)top;
            return true;
        }

        public void Dispose()
        {
            ArrayPool<long>.Shared.Return(_items);
            _items = [];
        }
    }

    // The encodings' published pre-tokenization patterns (tiktoken's openai_public.py, as
    // Microsoft.ML.Tokenizers writes them for .NET's regex engine).
    [GeneratedRegex(@"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+")]
    internal static partial Regex O200kPattern();

    [GeneratedRegex(@"'(?i:[sdmt]|ll|ve|re)|(?>[^\r\n\p{L}\p{N}]?)(?>\p{L}+)|(?>\p{N}{1,3})| ?(?>[^\s\p{L}\p{N}]+)(?>[\r\n]*)|(?>\s+)$|\s*[\r\n]|\s+(?!\S)|\s")]
    private static partial Regex Cl100kPattern();
}
