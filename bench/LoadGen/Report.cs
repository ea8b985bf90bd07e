using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Reads the JSON lines of one run (every line tagged with figure, arm, round and, where a figure
/// has several parts, variant), takes the median over rounds per figure × variant × arm × metric,
/// and writes the Markdown report with the ratios against BENCHMARKS.md's targets and a PNG chart
/// per figure.
/// </summary>
internal static class Report
{
    private static readonly string[] Arms = ["A", "B", "C", "N", "D"];

    /// <summary>The arms that are this gateway, measured against the targets: C (the default build) and N (Native AOT).</summary>
    private static readonly string[] GatewayArms = ["C", "N"];

    private static readonly Dictionary<string, string> ArmNames = new()
    {
        ["A"] = "A direct (MockLlm)",
        ["B"] = "B plain YARP",
        ["C"] = "C gateway",
        ["N"] = "N gateway, Native AOT",
        ["D"] = "D Portkey",
    };

    /// <summary>F4's memory target, 100 MB, in the MiB the report shows.</summary>
    private const double MemoryTargetMiB = 100e6 / (1 << 20);

    /// <summary>An RSS in MiB against <see cref="MemoryTargetMiB"/>: one decimal, two within 0.05 of the target (95.4 could be either side of 95.37).</summary>
    private static string MiB(double? value) => Fmt(value, value is { } v && Math.Abs(v - MemoryTargetMiB) < 0.05 ? "F2" : "F1");

    /// <summary>One line of the closing ratio table: figure, what, measured, target, met.</summary>
    private sealed record SummaryRow(string Figure, string What, string Value, string Target, bool? Met);

    private static readonly List<SummaryRow> Summary = [];

    public static int Run(Options o)
    {
        Summary.Clear();
        var lines = File.ReadAllLines(o.Required("in"))
            .Where(l => l.TrimStart().StartsWith('{'))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .ToList();
        var outDir = o.Required("out-dir");
        Directory.CreateDirectory(outDir);
        var data = new Results(lines);
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark report, {o.Get("date") ?? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {o.Get("machine") ?? "unknown"}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{o.Get("command") ?? "bench/run.sh"}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Protocol: arms interleaved A B C D per round, {data.Rounds} round(s), medians quoted (BENCHMARKS.md).");
        foreach (var settings in o.All("settings")) md.AppendLine(CultureInfo.InvariantCulture, $"- {settings}");
        md.AppendLine();
        var prefix = o.Get("chart-prefix") ?? "";
        var chartLink = o.Get("chart-link") ?? "";

        Figure1(data, md, outDir, prefix, chartLink);
        Figure2(data, md, outDir, prefix, chartLink);
        Figure3(data, md, outDir, prefix, chartLink);
        Figure4(data, md, outDir, prefix, chartLink);
        Figure6(data, md);
        WriteSummary(md);

        File.WriteAllText(Path.Combine(outDir, o.Get("name") ?? "report.md"), md.ToString());
        Console.WriteLine(md.ToString());
        return 0;
    }

    private static void Figure1(Results data, StringBuilder md, string dir, string prefix, string link)
    {
        if (!data.Has("F1")) return;
        md.AppendLine("## F1: throughput at saturation (wrk, 64 connections, 1 KB chat completion, non-streaming)");
        md.AppendLine();
        md.AppendLine("| arm | req/s | p50 ms | p99 ms | errors | CPU % of its core | CPU µs per request |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        var values = new Dictionary<string, double>();
        var cpu = new Dictionary<string, double>();
        foreach (var arm in Arms)
        {
            var rps = data.Median("F1", null, arm, "rps");
            if (rps is null) continue;
            values[arm] = rps.Value;
            var perRequest = data.Median("F1", null, arm, "cpu_us_per_request");
            if (perRequest is not null) cpu[arm] = perRequest.Value;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {ArmNames[arm]} | {rps:F0} | {Fmt(data.Median("F1", null, arm, "p50_ms"))} | {Fmt(data.Median("F1", null, arm, "p99_ms"))} | {Fmt(data.Sum("F1", null, arm, "errors"), "F0")} | {Fmt(data.Median("F1", null, arm, "cpu_pct"), "F0")} | {Fmt(perRequest, "F1")} |");
        }
        md.AppendLine();
        foreach (var gw in GatewayArms)
        {
            Ratio(md, $"{gw} / B", values, gw, "B", 0.9, higherIsBetter: true);
            Ratio(md, $"{gw} / D", values, gw, "D", 7, higherIsBetter: true);
        }
        foreach (var gw in GatewayArms)
        {
            // Not a target: what a request costs the gateway against plain YARP, which holds when the
            // load side caps B's req/s below what its core could serve.
            if (cpu.TryGetValue(gw, out var c) && cpu.TryGetValue("B", out var b) && b > 0)
                md.AppendLine(CultureInfo.InvariantCulture, $"- CPU per request {gw} / B = {c / b:F2} ({c:F1} against {b:F1} µs; medians of the rounds; not a target, the cost behind the req/s ratio)");
        }
        if (values.TryGetValue("A", out var a) && values.Count > 1 && a < 2 * values.Where(kv => kv.Key != "A").Max(kv => kv.Value))
            md.AppendLine("- Arm A's throughput is under 2× the best gateway arm's: the rig (MockLlm + load generator on one core) is the bottleneck; quote ratios only.");
        md.AppendLine();
        Chart(dir, prefix, link, md, "f1", "F1 throughput (req/s, higher is better)", values);
    }

    private static void Figure2(Results data, StringBuilder md, string dir, string prefix, string link)
    {
        if (!data.Has("F2")) return;
        md.AppendLine("## F2: added latency (arm − A)");
        md.AppendLine();
        var chart = new Dictionary<string, double>();
        foreach (var variant in data.Variants("F2"))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {variant}");
            md.AppendLine();
            md.AppendLine("| arm | p50 ms | p99 ms | added p50 ms | added p99 ms | errors |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            var a50 = data.Median("F2", variant, "A", "p50_ms");
            var a99 = data.Median("F2", variant, "A", "p99_ms");
            foreach (var arm in Arms)
            {
                var p50 = data.Median("F2", variant, arm, "p50_ms");
                var p99 = data.Median("F2", variant, arm, "p99_ms");
                if (p50 is null) continue;
                var add50 = arm == "A" ? null : p50 - a50;
                var add99 = arm == "A" ? null : p99 - a99;
                md.AppendLine(CultureInfo.InvariantCulture, $"| {ArmNames[arm]} | {Fmt(p50)} | {Fmt(p99)} | {Fmt(add50)} | {Fmt(add99)} | {Fmt(data.Sum("F2", variant, arm, "errors"), "F0")} |");
                if (add99 is not null) chart[$"{arm} {Short(variant)} p99"] = add99.Value;
                if (add50 is not null) chart[$"{arm} {Short(variant)} p50"] = add50.Value;
            }
            md.AppendLine();
            var late50 = Arms.Select(arm => data.Median("F2", variant, arm, "late_p50_ms")).OfType<double>().ToList();
            var late99 = Arms.Select(arm => data.Median("F2", variant, arm, "late_p99_ms")).OfType<double>().ToList();
            if (late50.Count > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- The load generator started its sends late by p50 {Fmt(late50.Min())}–{Fmt(late50.Max())} ms and p99 {Fmt(late99.Min())}–{Fmt(late99.Max())} ms (by arm): counted in every arm's latency, which runs from the scheduled time, so \"added\" takes out what arm A had of it");
            }
            foreach (var gw in GatewayArms)
            {
                var c50 = data.Median("F2", variant, gw, "p50_ms") - a50;
                var c99 = data.Median("F2", variant, gw, "p99_ms") - a99;
                if (c50 is null) continue;
                var met50 = AddedMet(c50, 0.2);
                var met99 = AddedMet(c99, 1);
                md.AppendLine(CultureInfo.InvariantCulture, $"- {gw} added p50 {Fmt(c50)} ms (target ≤ 0.2) {Mark(met50)}; added p99 {Fmt(c99)} ms (target ≤ 1) {Mark(met99)}");
                if (c50 < 0 || c99 < 0)
                    md.AppendLine($"  (a negative figure: arm A's own percentile, MockLlm's, was higher than {gw}'s; the rig's noise is larger than what {gw} adds there, so it is not judged)");
                Summary.Add(new("F2", $"{gw} added p50, {variant}", $"{Fmt(c50)} ms", "≤ 0.2 ms", met50));
                Summary.Add(new("F2", $"{gw} added p99, {variant}", $"{Fmt(c99)} ms", "≤ 1 ms", met99));
            }
            md.AppendLine();
        }
        Chart(dir, prefix, link, md, "f2", "F2 added latency (ms, lower is better)", chart);
    }

    private static void Figure3(Results data, StringBuilder md, string dir, string prefix, string link)
    {
        if (!data.Has("F3")) return;
        md.AppendLine("## F3: streaming relay (64 chunks 20 ms apart)");
        md.AppendLine();
        md.AppendLine("As the load generator saw the streams (its clock; it shares CPU 0 with MockLlm, so its TTFT and gaps include the rig's own queueing):");
        md.AppendLine();
        var expected = data.Max("F3", "", "A", "chunks_expected");
        md.AppendLine(CultureInfo.InvariantCulture, $"| arm | concurrent streams | streams | TTFT p50 ms | TTFT p99 ms | TTFT p99 − A's ms | chunks/stream (min–max) | streams with ≠ {Fmt(expected, "F0")} chunks | gaps > 200 ms | gap p99 ms | errors |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|");
        var aTtft = data.Median("F3", "", "A", "ttft_p99_ms");
        var chart = new Dictionary<string, double>();
        var wire = data.Lines("F3").Any(l => l["variant"]?.ToString() == "wire");
        foreach (var arm in Arms)
        {
            var p99 = data.Median("F3", "", arm, "ttft_p99_ms");
            if (p99 is null) continue;
            var added = arm == "A" ? null : p99 - aTtft;
            if (!wire) chart[arm] = p99.Value;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {ArmNames[arm]} | {Fmt(data.Median("F3", "", arm, "concurrency"), "F0")} | {Fmt(data.Median("F3", "", arm, "streams"), "F0")} | {Fmt(data.Median("F3", "", arm, "ttft_p50_ms"))} | {Fmt(p99)} | {Fmt(added)} | {Fmt(data.Min("F3", "", arm, "chunks_min"), "F0")}–{Fmt(data.Max("F3", "", arm, "chunks_max"), "F0")} | {Fmt(data.Sum("F3", "", arm, "streams_wrong_chunks"), "F0")} | {Fmt(data.Sum("F3", "", arm, "gaps_over_200ms"), "F0")} | {Fmt(data.Median("F3", "", arm, "gap_p99_ms"))} | {Fmt(data.Sum("F3", "", arm, "errors"), "F0")} |");
        }
        md.AppendLine();

        if (wire)
        {
            md.AppendLine("On the wire (`loadgen wire`: a `tcpdump` of the loopback traffic inside the measuring window, each stream's client and upstream legs matched by `x-request-id`, timed with the kernel's send timestamps, so only the arm's own time between its two sockets counts; medians over rounds of each round's percentiles):");
            md.AppendLine();
            md.AppendLine("| arm | streams matched | events in | events out | streams with events out ≠ in | added TTFT p50 ms | added TTFT p99 ms | relay per event p50 ms | p99 ms | max ms | request path p99 ms | client gaps > 200 ms not upstream's | gaps the arm lengthened by > 200 ms | capture losses |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var arm in Arms)
            {
                var added = data.Median("F3", "wire", arm, "added_ttft_p99_ms");
                if (added is null) continue;
                var losses = (data.Sum("F3", "wire", arm, "capture_dropped") ?? 0) + (data.Sum("F3", "wire", arm, "tcp_gaps") ?? 0);
                md.AppendLine(CultureInfo.InvariantCulture, $"| {ArmNames[arm]} | {Fmt(data.Sum("F3", "wire", arm, "streams_matched"), "F0")} | {Fmt(data.Sum("F3", "wire", arm, "events_in"), "F0")} | {Fmt(data.Sum("F3", "wire", arm, "events_out"), "F0")} | {Fmt(data.Sum("F3", "wire", arm, "streams_events_differ"), "F0")} | {Fmt(data.Median("F3", "wire", arm, "added_ttft_p50_ms"))} | {Fmt(added)} | {Fmt(data.Median("F3", "wire", arm, "relay_p50_ms"))} | {Fmt(data.Median("F3", "wire", arm, "relay_p99_ms"))} | {Fmt(data.Max("F3", "wire", arm, "relay_max_ms"))} | {Fmt(data.Median("F3", "wire", arm, "request_p99_ms"))} | {Fmt(data.Sum("F3", "wire", arm, "gaps_added_over_200ms"), "F0")} | {Fmt(data.Sum("F3", "wire", arm, "gaps_gateway_share_over_200ms"), "F0")} | {Fmt(losses, "F0")} |");
                chart[arm] = added.Value;
            }
            md.AppendLine();
            md.AppendLine("The gap target is judged on the client gaps over 200 ms whose upstream gap was not over 200 ms. That count also takes in an upstream pause the arm lengthened a little past 200 ms (MockLlm starves on its shared core and pauses up to ~200 ms); the next column counts only the gaps the arm itself lengthened by over 200 ms (it held an event that much longer than the one before).");
            md.AppendLine();
            md.AppendLine("Usage-only chunks (`\"choices\":[]`) are counted apart: the gateway asks the upstream for usage and withholds that chunk from a client that did not ask for it.");
            md.AppendLine();
        }

        foreach (var gw in GatewayArms)
        {
            if (data.Median("F3", "", gw, "ttft_p99_ms") is null) continue;
            // Every stream of the gateway must carry exactly the chunks MockLlm was told to send
            // (its knobs), counted per stream by the load generator, and end with [DONE]; on the
            // wire, every stream's events out must equal its events in.
            var wrong = data.Sum("F3", "", gw, "streams_wrong_chunks");
            var cut = data.Sum("F3", "", gw, "streams_without_done");
            var cErrors = data.Sum("F3", "", gw, "errors");
            var wireDiffer = data.Sum("F3", "wire", gw, "streams_events_differ") ?? 0;
            bool? chunksEqual = wrong is null ? null : wrong == 0 && cut == 0 && cErrors == 0 && wireDiffer == 0;
            // The latency targets are judged on the wire; without a capture they cannot be told from the rig's queueing.
            var added = data.Median("F3", "wire", gw, "added_ttft_p99_ms");
            var gaps = data.Sum("F3", "wire", gw, "gaps_added_over_200ms");
            var floor = data.Median("F3", "wire", "B", "added_ttft_p99_ms");
            var floorText = floor is null ? "" : $", plain YARP {Fmt(floor)} ms";
            bool? addedMet = added is null ? null : added <= 1, gapsMet = gaps is null ? null : gaps == 0;
            md.AppendLine(CultureInfo.InvariantCulture, $"- {gw} added TTFT p99 {(added is null ? "not measured on the wire (no tcpdump)" : Fmt(added) + " ms" + floorText)} (target ≤ 1) {Mark(addedMet)}; chunks out = chunks in ({Fmt(expected, "F0")} per stream; {Fmt(wrong, "F0")} streams differ, {Fmt(cut, "F0")} without [DONE], {Fmt(cErrors, "F0")} errors; on the wire {Fmt(wireDiffer, "F0")} differ) {Mark(chunksEqual)}; client gaps > 200 ms the upstream did not have: {Fmt(gaps, "F0")} {Mark(gapsMet)}");
            md.AppendLine();
            Summary.Add(new("F3", $"{gw} added TTFT p99 (on the wire)", added is null ? "not measured" : $"{Fmt(added)} ms", "≤ 1 ms", addedMet));
            Summary.Add(new("F3", $"{gw} streams with chunks out ≠ chunks in", Fmt(wrong + cut + cErrors + wireDiffer, "F0"), "0", chunksEqual));
            Summary.Add(new("F3", $"{gw} gaps > 200 ms added (on the wire)", gaps is null ? "not measured" : Fmt(gaps, "F0"), "0", gapsMet));
        }
        if (data.Lines("F3").Any(l => l["streams_failed_probe"] is not null))
        {
            md.AppendLine("- Arm D: Portkey 1.15.2 on this Node failed the probe stream (every streamed chat completion ends in `TypeError: immutable` in its `updateHeaders`, Portkey-AI/gateway#1389 and #1550), so it has no F3 figures.");
            md.AppendLine();
        }
        Chart(dir, prefix, link, md, "f3", wire ? "F3 added TTFT p99 on the wire (ms, lower is better)" : "F3 TTFT p99 (ms, lower is better)", chart);
    }

    private static void Figure4(Results data, StringBuilder md, string dir, string prefix, string link)
    {
        if (!data.Has("F4")) return;
        md.AppendLine("## F4: memory");
        md.AppendLine();
        md.AppendLine("| arm | idle RSS at start MiB | idle RSS after the load figures MiB | RSS with idle WebSockets MiB | WebSockets open | KiB per WebSocket |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        var chart = new Dictionary<string, double>();
        var summary = new List<string>();
        foreach (var arm in Arms)
        {
            var idle = data.Median("F4", null, arm, "idle_rss_kib");
            if (idle is null) continue;
            var start = data.Median("F4", null, arm, "start_rss_kib");
            var loaded = data.Median("F4", null, arm, "ws_rss_kib");
            var open = data.Median("F4", null, arm, "ws_open");
            var per = loaded is not null && open is > 0 ? (loaded - idle) / open : null;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {ArmNames[arm]} | {MiB(start / 1024)} | {MiB(idle / 1024)} | {Fmt(loaded / 1024, "F1")} | {Fmt(open, "F0")} | {Fmt(per, "F1")} |");
            if (start is not null) chart[$"{arm} start"] = start.Value / 1024;
            chart[$"{arm} after load"] = idle.Value / 1024;
            if (!GatewayArms.Contains(arm)) continue;
            var keys = Fmt(data.Median("F4", null, arm, "snapshot_keys"), "F0");
            summary.Add($"- {arm} idle RSS at start {MiB(start / 1024)} MiB with a {keys}-key snapshot (target ≤ 100 MB = {MemoryTargetMiB:F2} MiB) {Mark(start / 1024 <= MemoryTargetMiB)}; idle after the load figures {MiB(idle / 1024)} MiB {Mark(idle / 1024 <= MemoryTargetMiB)}");
            summary.Add($"- {arm} {Fmt(per, "F1")} KiB per idle WebSocket (target ≤ 48) {Mark(per <= 48)} (the gateway holds two sockets per client WebSocket: the client's and the upstream's)");
            Summary.Add(new("F4", $"{arm} idle RSS at start ({keys}-key snapshot)", $"{MiB(start / 1024)} MiB", $"≤ 100 MB ({MemoryTargetMiB:F2} MiB)", start / 1024 <= MemoryTargetMiB));
            Summary.Add(new("F4", $"{arm} idle RSS after the load figures", $"{MiB(idle / 1024)} MiB", $"≤ 100 MB ({MemoryTargetMiB:F2} MiB)", idle / 1024 <= MemoryTargetMiB));
            Summary.Add(new("F4", $"{arm} memory per idle WebSocket ({Fmt(open, "F0")} open)", $"{Fmt(per, "F1")} KiB", "≤ 48 KiB", per <= 48));
        }
        md.AppendLine();
        foreach (var line in summary) md.AppendLine(line);
        if (summary.Count > 0) md.AppendLine();
        Chart(dir, prefix, link, md, "f4", "F4 idle RSS (MiB, lower is better)", chart);
    }

    private static void Figure6(Results data, StringBuilder md)
    {
        if (!data.Has("F6")) return;
        md.AppendLine("## F6: metering exactness");
        md.AppendLine();
        md.AppendLine("| requests | completed | aborted (estimated) | ledger tokens (completed) | MockLlm tokens (completed) | mismatched requests | duplicates | missing | errors |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in data.Lines("F6"))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r["requests"]} | {r["completed"]} | {r["aborted"]} | {r["ledger_tokens"]} | {r["mock_tokens"]} | {r["mismatched"]} | {r["duplicates"]} | {r["missing"]} | {r["errors"]} |");
            var exact = r["mismatched"]?.GetValue<long>() == 0 && r["duplicates"]?.GetValue<long>() == 0 && r["missing"]?.GetValue<long>() == 0
                && r["errors"]?.GetValue<long>() == 0 && r["ledger_tokens"]?.GetValue<long>() == r["mock_tokens"]?.GetValue<long>();
            md.AppendLine();
            if (r["note"] is { } note) md.AppendLine(CultureInfo.InvariantCulture, $"- Note: {note}");
            var notEstimated = r["aborted_not_estimated"]?.GetValue<long>() ?? 0;
            md.AppendLine(CultureInfo.InvariantCulture, $"- ledger = MockLlm's served tokens exactly for every completed request, no duplicates, nothing missing {Mark(exact)}; aborted requests not flagged estimated: {notEstimated} of {r["aborted"]} {Mark(notEstimated == 0)}");
            Summary.Add(new("F6", "ledger tokens = MockLlm's served tokens", $"{r["ledger_tokens"]} = {r["mock_tokens"]}, {r["mismatched"]} mismatched, {r["missing"]} missing, {r["duplicates"]} duplicated", "exact", exact));
            if (r["aborted_mock_tokens"] is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"- aborted requests (informational): the ledger's estimate {r["aborted_ledger_tokens"]} tokens against {r["aborted_mock_tokens"]} MockLlm wrote before the client left (the gateway counts what it relayed with the model's tokenizer; MockLlm counts what it flushed, some of which never reached the client)");
            Summary.Add(new("F6", "aborted requests flagged estimated", $"{notEstimated} not flagged of {r["aborted"]}", "all", notEstimated == 0));
        }
        md.AppendLine();
    }

    private static void WriteSummary(StringBuilder md)
    {
        if (Summary.Count == 0) return;
        md.AppendLine("## Summary: every figure against its target");
        md.AppendLine();
        md.AppendLine("| figure | measure | measured | target | result |");
        md.AppendLine("|---|---|---:|---|---|");
        foreach (var row in Summary)
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Figure} | {row.What} | {row.Value} | {row.Target} | {Mark(row.Met)} |");
        md.AppendLine();
    }

    private static void Ratio(StringBuilder md, string name, Dictionary<string, double> v, string x, string y, double target, bool higherIsBetter)
    {
        if (!v.TryGetValue(x, out var a) || !v.TryGetValue(y, out var b) || b == 0) return;
        var ratio = a / b;
        var ok = higherIsBetter ? ratio >= target : ratio <= target;
        md.AppendLine(CultureInfo.InvariantCulture, $"- {name} = {ratio:F2} (target {(higherIsBetter ? "≥" : "≤")} {target}) {Mark(ok)}");
        Summary.Add(new("F1", $"throughput {name}", ratio.ToString("F2", CultureInfo.InvariantCulture), $"{(higherIsBetter ? "≥" : "≤")} {target}", ok));
    }

    private static void Chart(string dir, string prefix, string link, StringBuilder md, string id, string title, Dictionary<string, double> values)
    {
        if (values.Count == 0) return;
        var plot = new ScottPlot.Plot();
        var bars = values.Select((kv, i) => new ScottPlot.Bar { Position = i, Value = kv.Value, Label = kv.Value.ToString("G4", CultureInfo.InvariantCulture) }).ToList();
        var series = plot.Add.Bars(bars);
        series.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, values.Count).Select(i => (double)i)], [.. values.Keys]);
        plot.Axes.Bottom.TickLabelStyle.FontSize = values.Count > 6 ? 11 : 14;
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        var file = $"{prefix}{id}.png";
        plot.SavePng(Path.Combine(dir, file), Math.Max(900, 95 * values.Count), 450);
        md.AppendLine(CultureInfo.InvariantCulture, $"![{title}]({link}{file})");
        md.AppendLine();
    }

    private static string Short(string variant) => variant.StartsWith("c=1", StringComparison.Ordinal) ? "c=1" : variant.StartsWith("500", StringComparison.Ordinal) ? "500/s" : variant.Length > 8 ? variant[..8] : variant;

    /// <summary>
    /// An added latency (the arm's percentile less arm A's) against its target; not judged when it is
    /// negative: arm A's own percentile was the higher, so the run cannot tell what the arm added.
    /// </summary>
    private static bool? AddedMet(double? added, double target) => added switch
    {
        null => null,
        < 0 => null,
        _ => added <= target,
    };

    private static string Mark(bool? ok) => ok switch { true => "✅ met", false => "❌ missed", null => "(n/a)" };

    private static string Fmt(double? v, string format = "F3") =>
        v is null || double.IsNaN(v.Value) ? "–" : v.Value.ToString(format, CultureInfo.InvariantCulture);

    private sealed class Results(List<JsonObject> lines)
    {
        public int Rounds => lines.Select(l => Str(l, "round")).Distinct().Count();

        public bool Has(string figure) => lines.Any(l => Str(l, "figure") == figure);

        public IEnumerable<JsonObject> Lines(string figure) => lines.Where(l => Str(l, "figure") == figure);

        public IEnumerable<string> Variants(string figure) =>
            lines.Where(l => Str(l, "figure") == figure).Select(l => Str(l, "variant") ?? "").Distinct();

        private IEnumerable<double> Values(string figure, string? variant, string arm, string metric) =>
            lines.Where(l => Str(l, "figure") == figure && Str(l, "arm") == arm && (variant is null || (Str(l, "variant") ?? "") == variant))
                .Select(l => l[metric] is JsonValue v && v.TryGetValue<double>(out var d) ? d : double.NaN)
                .Where(d => !double.IsNaN(d));

        public double? Median(string figure, string? variant, string arm, string metric)
        {
            var values = Values(figure, variant, arm, metric).Order().ToList();
            if (values.Count == 0) return null;
            return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
        }

        public double? Sum(string figure, string? variant, string arm, string metric)
        {
            var values = Values(figure, variant, arm, metric).ToList();
            return values.Count == 0 ? null : values.Sum();
        }

        public double? Min(string figure, string? variant, string arm, string metric)
        {
            var values = Values(figure, variant, arm, metric).ToList();
            return values.Count == 0 ? null : values.Min();
        }

        public double? Max(string figure, string? variant, string arm, string metric)
        {
            var values = Values(figure, variant, arm, metric).ToList();
            return values.Count == 0 ? null : values.Max();
        }

        private static string? Str(JsonObject o, string name) => o[name]?.ToString();
    }
}
