using Gateway.Bench.LoadGen;

// loadgen <json|sse|ws|report> [--option value]...   (see bench/README.md)
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("""
        usage:
          loadgen json   --url URL [--rate R | --concurrency C] --duration S [--warmup S] [--body-file F] [--header 'K: V']... [--label L] [--out FILE]
          loadgen sse    --url URL --concurrency C --duration S [--warmup S] [--expect-chunks N] [--body-file F] [--header 'K: V']... [--label L] [--out FILE]
          loadgen ws     --url ws://... --count N --hold S [--header 'K: V']... [--subprotocol P]... [--ready-file F] [--label L] [--out FILE]
          loadgen wrkparse --in wrk-output.txt [--label L] [--tag k=v]... [--out FILE]
          loadgen mixed  --url GATEWAY --mock MOCKLLM --key KEY --requests N --ledger-dir DIR [--out FILE]
          loadgen wire   --pcap capture.pcap --gateway-port P --upstream-port U [--capture-log tcpdump-stderr] [--tag k=v]... [--out FILE]
          loadgen snapshot --mock URL --keys N --out snapshot.json --key-out key.txt
          loadgen report --in results.jsonl --out-dir DIR --machine "..." --command "..."
        """);
    return 2;
}

var options = Options.Parse(args.AsSpan(1));
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };

return args[0] switch
{
    "json" => await JsonLoad.RunAsync(options, cts.Token),
    "sse" => await SseLoad.RunAsync(options, cts.Token),
    "ws" => await WsLoad.RunAsync(options, cts.Token),
    "report" => Report.Run(options),
    "wrkparse" => WrkParse.Run(options),
    "snapshot" => SnapshotGen.Run(options),
    "mixed" => await MixedLoad.RunAsync(options, cts.Token),
    "wire" => Gateway.Bench.LoadGen.Wire.WireTiming.Run(options),
    _ => Fail($"unknown mode '{args[0]}'"),
};

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
