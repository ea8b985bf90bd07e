using System.Collections.Concurrent;
using Gateway.MockLlm.Http;

namespace Gateway.MockLlm.Tally;

/// <summary>Tokens served per request id: a <see cref="ConcurrentDictionary{TKey,TValue}"/>, cheap and thread-safe.</summary>
internal sealed class TallyStore
{
    private readonly ConcurrentDictionary<string, TallyEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts an attempt for the request's id and returns its entry to count into. The attempt is
    /// in flight until the pipeline leaves the request (<see cref="MockPipelineMiddleware"/>).
    /// </summary>
    public TallyEntry Begin(HttpContext context, string endpoint, string model, bool streamed)
    {
        var feature = context.Features.Get<MockRequestFeature>();
        var entry = _entries.GetOrAdd(feature?.RequestId ?? context.TraceIdentifier, static _ => new TallyEntry());
        entry.Begin(endpoint, model, streamed);
        if (feature is not null && feature.Tally is null)
        {
            entry.Enter();
            feature.Tally = entry;
        }
        return entry;
    }

    public bool TryGet(string requestId, out TallyEntry entry) => _entries.TryGetValue(requestId, out entry!);

    public IEnumerable<KeyValuePair<string, TallyEntry>> Entries => _entries;

    public void Clear() => _entries.Clear();
}
