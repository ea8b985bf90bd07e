using Gateway.Bench.LoadGen;
using Gateway.Bench.LoadGen.Wire;
using static Gateway.Bench.Tests.Wire;

namespace Gateway.Bench.Tests;

/// <summary>
/// F3 on the wire: `loadgen wire` reads a loopback capture, pairs each stream's client leg with
/// its upstream leg by <c>x-request-id</c> and times what the gateway added. The captures here
/// are built segment by segment with known kernel times, so every figure is known exactly.
/// </summary>
public sealed class WireTimingTests : IDisposable
{
    private const int GatewayPort = 19082, UpstreamPort = 19089;
    private readonly string _dir = Directory.CreateTempSubdirectory("wire-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OneRelayedStream_GivesTheRequestPath_TheAddedTtft_AndEachEventsRelayDelay()
    {
        var capture = new CaptureBuilder();
        var client = capture.Flow(40001, GatewayPort);
        var upstream = capture.Flow(50001, UpstreamPort);
        client.ToServer(Us(1_000), Request("f3-C-1-7"));
        upstream.ToServer(Us(1_300), Request("f3-C-1-7"));
        upstream.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_100), Chunk(Event(0))).ToClient(Us(22_100), Chunk(Event(1)))
            .ToClient(Us(42_100), Chunk(Event(2))).ToClient(Us(42_150), Chunk(UsageEvent)).ToClient(Us(42_200), Chunk(Done)).ToClient(Us(42_210), LastChunk);
        client.ToClient(Us(2_150), StreamHead("f3-C-1-7")).ToClient(Us(2_400), Chunk(Event(0))).ToClient(Us(22_200), Chunk(Event(1)))
            .ToClient(Us(42_500), Chunk(Event(2))).ToClient(Us(42_600), Chunk(Done)).ToClient(Us(42_610), LastChunk);

        var json = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort).ToJson();

        Assert.Equal(1, (long)json["streams_matched"]!);
        Assert.Equal(3, (long)json["events_in"]!);
        Assert.Equal(3, (long)json["events_out"]!);
        Assert.Equal(0, (long)json["streams_events_differ"]!);
        Assert.Equal(0, (long)json["streams_without_done"]!);
        // The usage-only chunk the gateway asked for is withheld from the client: counted apart, not as a lost event.
        Assert.Equal(1, (long)json["usage_only_events_in"]!);
        Assert.Equal(0, (long)json["usage_only_events_out"]!);
        Assert.Equal(0.3, (double)json["request_max_ms"]!);                // 1,300 − 1,000 µs
        Assert.Equal(0.6, (double)json["added_ttft_max_ms"]!);             // (2,400 − 1,000) − (2,100 − 1,300)
        Assert.Equal(0.3, (double)json["relay_p50_ms"]!);                  // 300, 100, 400 µs
        Assert.Equal(0.4, (double)json["relay_max_ms"]!);
        Assert.Equal(0, (long)json["gaps_added_over_200ms"]!);
    }

    [Fact]
    public void MicrosecondCaptures_AreReadOnTheSameScale()
    {
        var capture = new CaptureBuilder(nanoseconds: false);
        RelayOne(capture.Flow(40001, GatewayPort), capture.Flow(50001, UpstreamPort), "r1", startUs: 5_000, addedUs: 700);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(1, analysis.Matched);
        Assert.Equal(0.7, analysis.Relay.MaxMs());
    }

    [Fact]
    public void StreamsAreMatchedByRequestId_AcrossConnections_AndAGatewayMadeIdIsTakenFromItsAnswer()
    {
        var capture = new CaptureBuilder();
        var client1 = capture.Flow(40001, GatewayPort);
        var client2 = capture.Flow(40002, GatewayPort);
        var upstream1 = capture.Flow(50001, UpstreamPort);
        var upstream2 = capture.Flow(50002, UpstreamPort);
        // The client sent no id for the second stream: the gateway made one, sent it upstream and answered with it.
        client1.ToServer(Us(1_000), Request("a"));
        client2.ToServer(Us(1_010), Request(null));
        upstream2.ToServer(Us(1_100), Request("a"));   // the first stream went out on the second upstream connection
        upstream1.ToServer(Us(1_200), Request("req_b"));
        upstream2.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_000), Chunk(Event(0) + Done) + LastChunk);
        upstream1.ToClient(Us(3_000), StreamHead()).ToClient(Us(3_000), Chunk(Event(0) + Done) + LastChunk);
        client1.ToClient(Us(2_100), StreamHead("a")).ToClient(Us(2_100), Chunk(Event(0) + Done) + LastChunk);
        client2.ToClient(Us(3_500), StreamHead("req_b")).ToClient(Us(3_500), Chunk(Event(0) + Done) + LastChunk);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(2, analysis.Matched);
        Assert.Equal(0, analysis.Unidentified);
        Assert.Equal(0.5, analysis.Relay.MaxMs());  // req_b: 3,500 − 3,000 µs
        Assert.Equal(0.1, analysis.Relay.Ms(0)); // a: 2,100 − 2,000 µs
    }

    [Fact]
    public void ACaptureThatStartsMidConnection_SkipsTheExchangesItSawOnlyPartOf()
    {
        var capture = new CaptureBuilder();
        var client = capture.Flow(40001, GatewayPort);
        var upstream = capture.Flow(50001, UpstreamPort);
        // Before the first segment: the tail of a stream's body, then an answer whose request was not captured.
        client.ToClient(Us(100), Chunk(Event(5))).ToClient(Us(120), Chunk(Done) + LastChunk);
        upstream.ToClient(Us(90), StreamHead()).ToClient(Us(95), Chunk(Event(0) + Done) + LastChunk);
        client.ToClient(Us(130), StreamHead("old")).ToClient(Us(140), Chunk(Event(0) + Done) + LastChunk);
        RelayOne(client, upstream, "new", startUs: 1_000, addedUs: 250);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(1, analysis.Matched);
        Assert.Equal(0, analysis.ClientOnly);
        Assert.Equal(0, analysis.UpstreamOnly);
        Assert.Equal(0.25, analysis.Relay.MaxMs());
        Assert.Equal(0, analysis.TcpGaps);
    }

    [Fact]
    public void BytesMissingFromTheCapture_DropTheStreamTheyCut_AndTheConnectionIsJoinedAgainAtItsNextExchange()
    {
        var (capture, client, upstream) = Requested("cut");
        upstream.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_100), Chunk(Event(0))).ToClient(Us(22_100), Chunk(Event(1)))
            .ToClient(Us(22_200), Chunk(Done) + LastChunk);
        client.ToClient(Us(2_200), StreamHead()).ToClient(Us(2_300), Chunk(Event(0)));
        client.Lose(toServer: false, Chunk(Event(1)).Length);    // the capture lost this segment
        client.ToClient(Us(22_300), Chunk(Done) + LastChunk);
        RelayOne(client, upstream, "next", startUs: 30_000, addedUs: 150);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(1, analysis.TcpGaps);
        Assert.Equal(1, analysis.Matched);                // "next" only: "cut" has no complete client leg
        Assert.Equal(1, analysis.UpstreamOnly);
        Assert.Equal(0.15, analysis.Relay.MaxMs());
    }

    [Fact]
    public void AGapIsTheGatewaysOnlyWhenTheUpstreamDidNotHaveIt()
    {
        var (capture, client, upstream) = Requested("g");
        // Upstream: 20 ms, then 250 ms (its own), then 20 ms. Client: 20 ms, 250 ms, 250 ms (the last one held by the gateway).
        upstream.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_100), Chunk(Event(0))).ToClient(Us(22_100), Chunk(Event(1)))
            .ToClient(Us(272_100), Chunk(Event(2))).ToClient(Us(292_100), Chunk(Event(3))).ToClient(Us(292_200), Chunk(Done) + LastChunk);
        client.ToClient(Us(2_200), StreamHead()).ToClient(Us(2_300), Chunk(Event(0))).ToClient(Us(22_300), Chunk(Event(1)))
            .ToClient(Us(272_300), Chunk(Event(2))).ToClient(Us(522_300), Chunk(Event(3))).ToClient(Us(522_400), Chunk(Done) + LastChunk);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(2, analysis.ClientGapsOver200Ms);
        Assert.Equal(1, analysis.UpstreamGapsOver200Ms);
        Assert.Equal(1, analysis.AddedGapsOver200Ms);
        Assert.Equal(1, analysis.GatewayGapsOver200Ms);
        Assert.Equal(230.2, analysis.Relay.MaxMs(), precision: 0);
    }

    [Fact]
    public void AnUpstreamGapTheGatewayPushedOver200Ms_IsCountedApartFromOneItMadeItself()
    {
        var (capture, client, upstream) = Requested("p");
        // The upstream paused 150 ms; the gateway held the next event 60 ms longer than the one before: the client saw 210 ms.
        upstream.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_100), Chunk(Event(0))).ToClient(Us(152_100), Chunk(Event(1)))
            .ToClient(Us(152_200), Chunk(Done) + LastChunk);
        client.ToClient(Us(2_200), StreamHead()).ToClient(Us(2_300), Chunk(Event(0))).ToClient(Us(212_300), Chunk(Event(1)))
            .ToClient(Us(212_400), Chunk(Done) + LastChunk);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(1, analysis.AddedGapsOver200Ms);    // over 200 ms at the client, under at the upstream
        Assert.Equal(0, analysis.GatewayGapsOver200Ms);  // but the gateway's own share was 60 ms
    }

    [Fact]
    public void AStreamThatLostAnEventOrItsDone_IsCounted()
    {
        var (capture, client, upstream) = Requested("short");
        upstream.ToClient(Us(2_000), StreamHead()).ToClient(Us(2_100), Chunk(Event(0) + Event(1) + Done) + LastChunk);
        client.ToClient(Us(2_200), StreamHead()).ToClient(Us(2_300), Chunk(Event(0)) + LastChunk);

        var analysis = WireTiming.Analyze(capture.WriteTo(_dir), GatewayPort, UpstreamPort);

        Assert.Equal(1, analysis.Matched);
        Assert.Equal(1, analysis.EventsDiffer);
        Assert.Equal(1, analysis.WithoutDone);
        Assert.Equal(2, analysis.EventsIn);
        Assert.Equal(1, analysis.EventsOut);
    }

    [Fact]
    public void ANonCaptureFile_IsRefusedWithAClearError()
    {
        var path = Path.Combine(_dir, "not.pcap");
        File.WriteAllText(path, "this is not a capture, it is 24 bytes+");

        var error = Assert.Throws<InvalidDataException>(() => WireTiming.Analyze(path, GatewayPort, UpstreamPort));
        Assert.Contains("not a pcap file", error.Message);
    }

    [Theory]
    [InlineData("tcpdump: listening on lo\n1200 packets captured\n2400 packets received by filter\n17 packets dropped by kernel\n", 17)]
    [InlineData("1200 packets captured\n", 0)]
    public void TheCapturesKernelDrops_AreReadFromTcpdumpsReport(string stderr, long dropped) =>
        Assert.Equal(dropped, WireTiming.CaptureDropped(stderr));

    /// <summary>One client connection and one upstream connection; the request <paramref name="id"/> in at 1,000 µs, forwarded at 1,100 µs.</summary>
    private static (CaptureBuilder Capture, TcpFlow Client, TcpFlow Upstream) Requested(string id)
    {
        var capture = new CaptureBuilder();
        var client = capture.Flow(40001, GatewayPort);
        var upstream = capture.Flow(50001, UpstreamPort);
        client.ToServer(Us(1_000), Request(id));
        upstream.ToServer(Us(1_100), Request(id));
        return (capture, client, upstream);
    }

    /// <summary>One stream of three events, each relayed <paramref name="addedUs"/> after it arrived, the request forwarded at once.</summary>
    private static void RelayOne(TcpFlow client, TcpFlow upstream, string id, long startUs, long addedUs)
    {
        client.ToServer(Us(startUs), Request(id));
        upstream.ToServer(Us(startUs), Request(id));
        upstream.ToClient(Us(startUs + 100), StreamHead());
        client.ToClient(Us(startUs + 100 + addedUs), StreamHead());
        for (var i = 0; i < 3; i++)
        {
            var at = startUs + 1_000 + 20_000 * i;
            upstream.ToClient(Us(at), Chunk(Event(i)));
            client.ToClient(Us(at + addedUs), Chunk(Event(i)));
        }
        var end = startUs + 1_000 + 60_000;
        upstream.ToClient(Us(end), Chunk(Done) + LastChunk);
        client.ToClient(Us(end + addedUs), Chunk(Done) + LastChunk);
    }
}
