using System.Text.Json;
using Gateway.Contracts.Usage;

namespace Gateway.Proxy.Tests.Usage;

/// <summary>Reads the NDJSON ledger a proxy wrote under its data directory.</summary>
internal static class Ledger
{
    public static List<UsageRecord> Read(string dataDirectory)
    {
        var records = new List<UsageRecord>();
        var folder = Path.Combine(dataDirectory, "ledger");
        if (!Directory.Exists(folder)) return records;
        foreach (var file in Directory.GetFiles(folder, "usage-*.ndjson"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0) records.Add(JsonSerializer.Deserialize(line, UsageJsonContext.Default.UsageRecord)!);
            }
        }
        return records;
    }

    /// <summary>The record of <paramref name="requestId"/>, once it reached the ledger.</summary>
    public static async Task<UsageRecord> WaitForAsync(string dataDirectory, string requestId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = Read(dataDirectory).Where(r => r.RequestId == requestId).ToList();
            if (found.Count > 0)
            {
                Assert.Single(found);
                return found[0];
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No ledger record for {requestId}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Fast spool settings for tests: segments sealed and shipped within milliseconds.</summary>
    public static Dictionary<string, string?> FastSettings() => new()
    {
        ["Proxy:Usage:SegmentMaxAgeMs"] = "10",
        ["Proxy:Usage:ShipIntervalMs"] = "10",
    };
}
