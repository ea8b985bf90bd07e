using Gateway.Contracts.Snapshot;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Writes arm C's snapshot file (<see cref="BenchSnapshot"/>: the demo catalog pointed at the
/// benchmark's MockLlm, every limit and budget on but unreachable, <c>--keys</c> extra keys) and
/// the freshly generated benchmark key to <c>--key-out</c>; nothing secret is committed.
/// </summary>
internal static class SnapshotGen
{
    public static int Run(Options o)
    {
        var (snapshot, benchKey) = BenchSnapshot.Create(o.Required("mock"), o.Int("keys", 10_000));
        var errors = SnapshotValidator.Validate(snapshot);
        if (errors.Count > 0)
        {
            foreach (var e in errors) Console.Error.WriteLine(e);
            return 1;
        }
        File.WriteAllBytes(o.Required("out"), SnapshotJson.SerializeToUtf8Bytes(snapshot));
        File.WriteAllText(o.Required("key-out"), benchKey);
        Console.Error.WriteLine($"snapshot: {snapshot.Keys.Count} keys, {snapshot.Models.Count} models -> {o.Get("out")}");
        return 0;
    }
}
