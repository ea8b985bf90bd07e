using System.Collections.Concurrent;

namespace Gateway.MockLlm.Tally;

/// <summary>Tokens served per request id: a <see cref="ConcurrentDictionary{TKey,TValue}"/>, cheap and thread-safe.</summary>
internal sealed class TallyStore
{
    private readonly ConcurrentDictionary<string, TallyEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>Starts an attempt for <paramref name="requestId"/> and returns its entry to count into.</summary>
    public TallyEntry Begin(string requestId, string endpoint, string model, bool streamed)
    {
        var entry = _entries.GetOrAdd(requestId, static _ => new TallyEntry());
        entry.Begin(endpoint, model, streamed);
        return entry;
    }

    public bool TryGet(string requestId, out TallyEntry entry) => _entries.TryGetValue(requestId, out entry!);

    public IEnumerable<KeyValuePair<string, TallyEntry>> Entries => _entries;

    public void Clear() => _entries.Clear();
}
