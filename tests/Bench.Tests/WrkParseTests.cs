using System.Text.Json.Nodes;
using Gateway.Bench.LoadGen;

namespace Gateway.Bench.Tests;

/// <summary>wrk's text output becomes F1's result line, with the arm's CPU cost when the caller measured it.</summary>
public sealed class WrkParseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wrkparse-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string WrkOutput = """
        Running 30s test @ http://127.0.0.1:19082/v1/chat/completions
          2 threads and 64 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency     9.38ms    4.02ms  53.25ms   84.73%
            Req/Sec     3.45k   691.07     5.03k    76.50%
          Latency Distribution
             50%    8.38ms
             75%   10.15ms
             90%   13.77ms
             99%    1.02s
          200000 requests in 25.00s, 343.38MB read
          Socket errors: connect 0, read 0, write 0, timeout 64
        Requests/sec:   8000.00
        Transfer/sec:     11.41MB
        """;

    [Fact]
    public void WithTheArmsCpuTime_TheLineCarriesItsShareAndCostPerRequest()
    {
        var line = Parse(WrkOutput, "--cpu-seconds", "20.00");

        Assert.Equal(8000.0, line["rps"]!.GetValue<double>());
        Assert.Equal(200000, line["requests"]!.GetValue<long>());
        Assert.Equal(64, line["errors"]!.GetValue<long>());
        Assert.Equal(1020.0, line["p99_ms"]!.GetValue<double>(), 6);
        // 20 s of CPU over the 25 s run, spread over 200,000 requests.
        Assert.Equal(80.0, line["cpu_pct"]!.GetValue<double>(), 6);
        Assert.Equal(100.0, line["cpu_us_per_request"]!.GetValue<double>(), 6);
    }

    [Fact]
    public void WithoutTheArmsCpuTime_TheLineHasNoCpuFields()
    {
        var line = Parse(WrkOutput);

        Assert.False(line.ContainsKey("cpu_pct"));
        Assert.False(line.ContainsKey("cpu_us_per_request"));
    }

    [Fact]
    public void OutputWithoutARequestsPerSecondLine_IsAFailure()
    {
        var input = Path.Combine(_dir, "wrk.txt");
        File.WriteAllText(input, "unable to connect to 127.0.0.1:19082 Connection refused\n");
        var output = Path.Combine(_dir, "out.jsonl");

        Assert.Equal(1, WrkParse.Run(Options.Parse(["--in", input, "--out", output])));
        Assert.False(File.Exists(output));
    }

    private JsonObject Parse(string wrk, params string[] extra)
    {
        var input = Path.Combine(_dir, "wrk.txt");
        File.WriteAllText(input, wrk);
        var output = Path.Combine(_dir, "out.jsonl");
        File.Delete(output);
        Assert.Equal(0, WrkParse.Run(Options.Parse(["--in", input, "--out", output, .. extra])));
        return JsonNode.Parse(File.ReadAllLines(output).Single())!.AsObject();
    }
}
