using System.Text;

namespace Gateway.MockLlm.Generation;

/// <summary>
/// The words completions are made of: each one is a single o200k_base token both on its own and
/// with a leading space, so a text of N words is exactly N tokens and any split of it into chunks
/// at word boundaries keeps the count. Candidates that fail the check are dropped at start-up.
/// </summary>
internal sealed class Vocabulary
{
    private static readonly string[] Candidates =
    [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they",
        "you", "were", "their", "one", "all", "we", "can", "her", "has", "there", "been", "if", "more",
        "when", "will", "would", "who", "so", "no", "she", "other", "its", "may", "these", "about", "them",
        "any", "then", "than", "only", "new", "some", "could", "time", "into", "two", "first", "like",
        "what", "over", "also", "after", "our", "most", "such", "many", "out", "up", "made", "where",
        "well", "before", "between", "under", "never", "world", "water", "light", "river", "market",
        "stone", "garden", "window", "letter", "number", "house", "city", "paper", "system", "model",
        "value", "money", "bank", "account", "report", "data", "service", "order", "plan", "team",
        "price", "rate", "risk", "credit", "policy", "market", "level", "group", "year", "day", "week",
        "month", "state", "part", "point", "place", "case", "fact", "hand", "line", "word", "home",
        "work", "life", "book", "story", "music", "table", "door", "road", "train", "car", "bridge",
        "tree", "forest", "field", "mountain", "ocean", "island", "cloud", "rain", "snow", "wind",
        "fire", "summer", "winter", "morning", "evening", "night", "simple", "quiet", "bright", "clear",
        "open", "small", "large", "long", "short", "early", "late", "good", "great", "high", "low",
        "young", "old", "real", "true", "free", "full", "strong", "fast", "slow", "warm", "cold",
        "green", "blue", "red", "white", "black", "golden", "silver", "north", "south", "east", "west",
        "make", "take", "give", "find", "keep", "bring", "build", "carry", "check", "count", "draw",
        "hold", "learn", "move", "read", "send", "show", "start", "turn", "walk", "write", "answer",
        "question", "result", "reason", "idea", "name", "note", "sign", "table", "voice", "wall",
    ];

    private readonly byte[][] _plain;
    private readonly byte[][] _spaced;

    public Vocabulary()
    {
        var tokenizer = TokenCounter.Tokenizer;
        var plain = new List<byte[]>(Candidates.Length);
        var spaced = new List<byte[]>(Candidates.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Candidates)
        {
            if (!seen.Add(word)) continue;
            if (tokenizer.CountTokens(word) != 1 || tokenizer.CountTokens(" " + word) != 1) continue;
            plain.Add(Encoding.ASCII.GetBytes(word));
            spaced.Add(Encoding.ASCII.GetBytes(" " + word));
        }
        if (plain.Count < 64)
        {
            throw new InvalidOperationException($"Only {plain.Count} single-token words survived the tokenizer check; 64 are needed.");
        }
        _plain = [.. plain];
        _spaced = [.. spaced];
    }

    public int Count => _plain.Length;

    /// <summary>The UTF-8 bytes of word <paramref name="index"/>, with a leading space unless it starts the text.</summary>
    public ReadOnlySpan<byte> Word(int index, bool first) => first ? _plain[index] : _spaced[index];
}
