using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Gateway.Proxy.Forwarding;

/// <summary>
/// A set of header names (case-insensitive) that must not cross the proxy, removed by looking at
/// the headers a message has (a handful) rather than asking for every name in the set (two dozen
/// lookups, each hashing the name, for headers that are almost never there).
/// </summary>
internal sealed class HeaderFilter
{
    private readonly FrozenSet<string> _names;

    public HeaderFilter(IEnumerable<string> names) => _names = names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Removes from <paramref name="headers"/> every header whose name is in the set.</summary>
    public void RemoveFrom(HttpHeaders headers)
    {
        // A header collection cannot change while it is enumerated: note the names first.
        Found found = default;
        var count = 0;
        foreach (var header in headers.NonValidated)
        {
            if (!_names.Contains(header.Key)) continue;
            if (count == Found.Length)
            {
                RemoveAll(headers);
                return;
            }
            found[count++] = header.Key;
        }
        for (var i = 0; i < count; i++) headers.Remove(found[i]!);
    }

    /// <summary>
    /// Removes from <paramref name="target"/> the headers of <paramref name="source"/> whose names
    /// are in the set: <paramref name="target"/> holds a copy of <paramref name="source"/>'s headers
    /// (YARP's), and only what came from there needs to go.
    /// </summary>
    public void RemoveCopiesOf(HttpHeaders source, IHeaderDictionary target)
    {
        foreach (var header in source.NonValidated)
        {
            if (_names.Contains(header.Key)) target.Remove(header.Key);
        }
    }

    private void RemoveAll(HttpHeaders headers)
    {
        foreach (var name in _names) headers.Remove(name);
    }

    [InlineArray(Length)]
    private struct Found
    {
        public const int Length = 8;

        private string? _first;
    }
}
