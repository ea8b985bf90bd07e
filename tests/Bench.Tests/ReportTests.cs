using Gateway.Bench.LoadGen;

namespace Gateway.Bench.Tests;

/// <summary>The report judges F3's latency targets on the wire figures, and says so when there are none.</summary>
public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("report-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string LoadGenLines = """
        {"mode":"sse","figure":"F3","arm":"A","round":"1","concurrency":1000,"streams":900,"ttft_p99_ms":300.0,"ttft_p50_ms":80.0,"chunks_min":66,"chunks_max":66,"chunks_expected":66,"streams_wrong_chunks":0,"streams_without_done":0,"gaps_over_200ms":900,"gap_p99_ms":150.0,"errors":0}
        {"mode":"sse","figure":"F3","arm":"B","round":"1","concurrency":1000,"streams":900,"ttft_p99_ms":250.0,"ttft_p50_ms":90.0,"chunks_min":66,"chunks_max":66,"chunks_expected":66,"streams_wrong_chunks":0,"streams_without_done":0,"gaps_over_200ms":300,"gap_p99_ms":120.0,"errors":0}
        {"mode":"sse","figure":"F3","arm":"C","round":"1","concurrency":1000,"streams":900,"ttft_p99_ms":280.0,"ttft_p50_ms":140.0,"chunks_min":66,"chunks_max":66,"chunks_expected":66,"streams_wrong_chunks":0,"streams_without_done":0,"gaps_over_200ms":500,"gap_p99_ms":160.0,"errors":0}
        """;

    [Fact]
    public void WithWireFigures_TheAddedTtftAndGapsAreJudgedOnThem()
    {
        var report = Render(LoadGenLines + """

            {"mode":"wire","figure":"F3","variant":"wire","arm":"B","round":"1","streams_matched":2000,"events_in":132000,"events_out":132000,"streams_events_differ":0,"added_ttft_p50_ms":9.0,"added_ttft_p99_ms":163.0,"relay_p50_ms":3.4,"relay_p99_ms":77.8,"relay_max_ms":96.4,"request_p99_ms":102.8,"gaps_added_over_200ms":0,"capture_dropped":0,"tcp_gaps":0}
            {"mode":"wire","figure":"F3","variant":"wire","arm":"C","round":"1","streams_matched":2100,"events_in":138600,"events_out":138600,"streams_events_differ":0,"added_ttft_p50_ms":0.4,"added_ttft_p99_ms":0.9,"relay_p50_ms":0.1,"relay_p99_ms":0.5,"relay_max_ms":3.0,"request_p99_ms":0.4,"gaps_added_over_200ms":5,"gaps_gateway_share_over_200ms":2,"capture_dropped":0,"tcp_gaps":0}
            """);

        Assert.Contains("| C gateway | 2100 | 138600 | 138600 | 0 | 0.400 | 0.900 |", report);
        Assert.Contains("| F3 | C added TTFT p99 (on the wire) | 0.900 ms | ≤ 1 ms | ✅ met |", report);
        // Judged on every client gap over 200 ms the upstream did not have (5); the gateway's own share (2) is shown beside it.
        Assert.Contains("| F3 | C gaps > 200 ms added (on the wire) | 5 | 0 | ❌ missed |", report);
        Assert.Contains("| 0.400 | 0.900 | 0.100 | 0.500 | 3.000 | 0.400 | 5 | 2 | 0 |", report);
        Assert.Contains("plain YARP 163.000 ms", report);
        Assert.Contains("| F3 | C streams with chunks out ≠ chunks in | 0 | 0 | ✅ met |", report);
    }

    [Fact]
    public void OnTheWire_EventsOutUnlikeEventsIn_FailChunksOutEqualsChunksIn()
    {
        var report = Render(LoadGenLines + """

            {"mode":"wire","figure":"F3","variant":"wire","arm":"C","round":"1","streams_matched":2100,"events_in":138600,"events_out":138599,"streams_events_differ":1,"added_ttft_p50_ms":0.4,"added_ttft_p99_ms":0.9,"relay_p50_ms":0.1,"relay_p99_ms":0.5,"relay_max_ms":3.0,"request_p99_ms":0.4,"gaps_added_over_200ms":0,"capture_dropped":0,"tcp_gaps":0}
            """);

        Assert.Contains("| F3 | C streams with chunks out ≠ chunks in | 1 | 0 | ❌ missed |", report);
    }

    [Fact]
    public void WithoutACapture_TheLatencyTargetsAreNotJudged()
    {
        var report = Render(LoadGenLines);

        // The load generator's TTFT minus arm A's is shown, but it is not the gateway's added time: no verdict.
        Assert.Contains("| F3 | C added TTFT p99 (on the wire) | not measured | ≤ 1 ms | (n/a) |", report);
        Assert.Contains("| F3 | C gaps > 200 ms added (on the wire) | not measured | 0 | (n/a) |", report);
        Assert.DoesNotContain("On the wire (", report);
    }

    [Fact]
    public void F1_ShowsEachArmsCpuCostBesideItsThroughput_AndTheCostRatioWithoutAVerdict()
    {
        var report = Render("""
            {"mode":"wrk","figure":"F1","arm":"B","round":"1","rps":9000,"requests":270000,"errors":0,"p50_ms":5.0,"p99_ms":20.0,"cpu_pct":90.0,"cpu_us_per_request":100.0}
            {"mode":"wrk","figure":"F1","arm":"C","round":"1","rps":6000,"requests":180000,"errors":0,"p50_ms":8.0,"p99_ms":30.0,"cpu_pct":99.0,"cpu_us_per_request":165.0}
            {"mode":"wrk","figure":"F1","arm":"D","round":"1","rps":800,"requests":24000,"errors":3,"p50_ms":60.0,"p99_ms":400.0}
            """);

        Assert.Contains("| B plain YARP | 9000 | 5.000 | 20.000 | 0 | 90 | 100.0 |", report);
        Assert.Contains("| C gateway | 6000 | 8.000 | 30.000 | 0 | 99 | 165.0 |", report);
        // An arm measured without its CPU time shows dashes rather than zeros.
        Assert.Contains("| D Portkey | 800 | 60.000 | 400.000 | 3 | – | – |", report);
        Assert.Contains("- C / B = 0.67 (target ≥ 0.9) ❌ missed", report);
        Assert.Contains("- CPU per request C / B = 1.65 (165.0 against 100.0 µs;", report);
        Assert.DoesNotContain("| F1 | CPU", report);
    }

    [Fact]
    public void F2_AnAddedLatencyBelowZero_IsNotJudged()
    {
        var report = Render("""
            {"mode":"json","figure":"F2","variant":"500 req/s open loop","arm":"A","round":"1","p50_ms":1.5,"p99_ms":24.0,"errors":0}
            {"mode":"json","figure":"F2","variant":"500 req/s open loop","arm":"C","round":"1","p50_ms":1.6,"p99_ms":22.0,"errors":0}
            {"mode":"json","figure":"F2","variant":"c=1 sequential","arm":"A","round":"1","p50_ms":0.1,"p99_ms":0.3,"errors":0}
            {"mode":"json","figure":"F2","variant":"c=1 sequential","arm":"C","round":"1","p50_ms":0.35,"p99_ms":1.0,"errors":0}
            """);

        // C's p99 below arm A's: MockLlm's own stall, not something C took away.
        Assert.Contains("| F2 | C added p99, 500 req/s open loop | -2.000 ms | ≤ 1 ms | (n/a) |", report);
        Assert.Contains("| F2 | C added p50, 500 req/s open loop | 0.100 ms | ≤ 0.2 ms | ✅ met |", report);
        Assert.Contains("so it is not judged", report);
        Assert.Contains("| F2 | C added p50, c=1 sequential | 0.250 ms | ≤ 0.2 ms | ❌ missed |", report);
        Assert.Contains("| F2 | C added p99, c=1 sequential | 0.700 ms | ≤ 1 ms | ✅ met |", report);
    }

    [Fact]
    public void F2_TheOpenLoopsSendLateness_IsShownBesideItsTable()
    {
        var report = Render("""
            {"mode":"json","figure":"F2","variant":"500 req/s open loop","arm":"A","round":"1","p50_ms":0.2,"p99_ms":1.1,"late_p50_ms":0.07,"late_p99_ms":0.4,"errors":0}
            {"mode":"json","figure":"F2","variant":"500 req/s open loop","arm":"C","round":"1","p50_ms":0.6,"p99_ms":3.0,"late_p50_ms":0.09,"late_p99_ms":0.2,"errors":0}
            {"mode":"json","figure":"F2","variant":"c=1 sequential","arm":"A","round":"1","p50_ms":0.1,"p99_ms":0.3,"errors":0}
            {"mode":"json","figure":"F2","variant":"c=1 sequential","arm":"C","round":"1","p50_ms":0.35,"p99_ms":1.0,"errors":0}
            """);

        Assert.Contains("- The load generator started its sends late by p50 0.070–0.090 ms and p99 0.200–0.400 ms (by arm)", report);
        Assert.Single(report.Split('\n'), line => line.StartsWith("- The load generator started", StringComparison.Ordinal)); // not for the closed loop
    }

    [Fact]
    public void F4_AnRssWithinRoundingOfTheTarget_IsShownWithTheDigitsThatDecide()
    {
        // 100 MB is 95.367 MiB: 95.40 is over it and 95.35 under, though both round to 95.4.
        var report = Render("""
            {"mode":"memory","figure":"F4","arm":"C","round":"1","start_rss_kib":77926,"idle_rss_kib":97690,"ws_rss_kib":180000,"ws_open":2000,"snapshot_keys":10001}
            {"mode":"memory","figure":"F4","arm":"N","round":"1","start_rss_kib":54000,"idle_rss_kib":97638,"ws_rss_kib":120000,"ws_open":2000,"snapshot_keys":10001}
            """);

        Assert.Contains("| F4 | C idle RSS after the load figures | 95.40 MiB | ≤ 100 MB (95.37 MiB) | ❌ missed |", report);
        Assert.Contains("| F4 | N idle RSS after the load figures | 95.35 MiB | ≤ 100 MB (95.37 MiB) | ✅ met |", report);
        Assert.Contains("| F4 | C idle RSS at start (10001-key snapshot) | 76.1 MiB |", report);
    }

    private string Render(string jsonl)
    {
        var input = Path.Combine(_dir, "run.jsonl");
        File.WriteAllText(input, jsonl);
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, Report.Run(Options.Parse(["--in", input, "--out-dir", output, "--name", "report.md"])));
        return File.ReadAllText(Path.Combine(output, "report.md"));
    }
}
