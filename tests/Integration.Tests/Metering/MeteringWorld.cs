using System.Text.Json;
using Gateway.Contracts.Demo;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.Usage;
using Gateway.MockLlm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Integration.Tests.Metering;

/// <summary>Shared pieces of the metering tests: the demo catalog with room for load, MockLlm, the ledger and the tally.</summary>
internal static class MeteringWorld
{
    public const string MockCredential = "mock-upstream-key";

    /// <summary>The demo catalog on <paramref name="mockLlm"/>, its limits raised so a load test measures metering, not throttling (they still reserve and settle).</summary>
    public static GatewaySnapshot Snapshot(string mockLlm)
    {
        var demo = DemoCatalog.Snapshot(mockLlm);
        var roomy = new LimitSpec(RequestsPerMinute: 1_000_000, TokensPerMinute: 1_000_000_000, MaxConcurrent: 10_000);
        return demo with
        {
            Revision = 10,
            Teams = [.. demo.Teams.Select(t => t with { Limits = t.Limits is null ? null : roomy })],
            Subscriptions = [.. demo.Subscriptions.Select(s => s with { Limits = roomy })],
        };
    }

    public static async Task<(WebApplication App, Uri Url)> StartMockLlmAsync()
    {
        Environment.SetEnvironmentVariable(DemoCatalog.MockCredentialEnv, MockCredential);
        var app = MockLlmApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production"], b => b.Logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return (app, new Uri(Address(app)));
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>Every record in the NDJSON ledger under <paramref name="dataDirectory"/>.</summary>
    public static List<UsageRecord> ReadLedger(string dataDirectory)
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

    /// <summary>
    /// A measurement for the test log and for <c>metering-measurements.txt</c> beside the test
    /// assembly (the README quotes the loss window measured there).
    /// </summary>
    public static void Report(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        var stamped = $"{DateTimeOffset.UtcNow:O} {TestContext.Current.Test?.TestDisplayName}: {line}{Environment.NewLine}";
        lock (ReportLock) File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "metering-measurements.txt"), stamped);
    }

    private static readonly Lock ReportLock = new();

    /// <summary>MockLlm's whole tally once nothing is in flight.</summary>
    public static async Task<JsonElement> SettledTallyAsync(Uri mockLlm)
    {
        using var http = new HttpClient { BaseAddress = mockLlm };
        for (var i = 0; ; i++)
        {
            var json = await http.GetStringAsync("/_mock/tally", TestContext.Current.CancellationToken);
            var tally = JsonDocument.Parse(json).RootElement;
            if (tally.GetProperty("totals").GetProperty("in_flight").GetInt64() == 0 || i == 600) return tally;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
