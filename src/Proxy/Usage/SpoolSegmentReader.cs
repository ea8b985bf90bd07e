using System.Text.Json;
using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>Reads a spool segment back: one record per line; a line that does not parse (the torn tail of a crash) is counted and skipped.</summary>
internal static class SpoolSegmentReader
{
    public static List<UsageRecord> Read(string path, out int badLines)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<UsageRecord>();
        badLines = 0;
        ReadOnlySpan<byte> rest = bytes;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.IsEmpty || line.IndexOfAnyExcept(" \t\r"u8) < 0) continue;
            try
            {
                if (JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord) is { } record) records.Add(record);
                else badLines++;
            }
            catch (JsonException)
            {
                badLines++;
            }
        }
        return records;
    }
}
