using System.Text.Json.Nodes;

namespace Gateway.Bench.LoadGen.Wire;

/// <summary>
/// F3 measured on the wire: what a gateway adds to streams, from a packet capture taken on the
/// loopback interface while it relays them (<c>tcpdump -i lo -w</c>, kernel timestamps). Each
/// stream is seen twice, client ↔ gateway and gateway ↔ upstream, and the two are matched by
/// the <c>x-request-id</c> the gateway forwards. For every matched stream:
/// <list type="bullet">
/// <item>request path: the upstream request's last byte out − the client request's last byte in;</item>
/// <item>per event: when the event left the gateway − when it arrived from the upstream (relay delay);</item>
/// <item>added time to first token: the client's TTFT − the upstream's, both from the request's last byte;</item>
/// <item>events out against events in; client gaps over 200 ms that the upstream did not have, and
/// gaps the gateway itself lengthened by over 200 ms (it held an event that much longer than the one before).</item>
/// </list>
/// The timestamps are the kernel's, taken as each segment is sent, so what the load generator and
/// the mock do with their (shared, saturated) core does not enter the figures: only the gateway's
/// own time between its two sockets does.
/// </summary>
internal static class WireTiming
{
    public static int Run(Options o)
    {
        var analysis = Analyze(o.Required("pcap"), o.Int("gateway-port", 0), o.Int("upstream-port", 0));
        var result = analysis.ToJson();
        if (o.Get("capture-log") is { } log && File.Exists(log)) result["capture_dropped"] = CaptureDropped(File.ReadAllText(log));
        Results.Emit(o, result);
        return 0;
    }

    public static WireAnalysis Analyze(string pcap, int gatewayPort, int upstreamPort)
    {
        if (gatewayPort <= 0 || upstreamPort <= 0) throw new ArgumentException("--gateway-port and --upstream-port are required");
        var capture = new Capture(gatewayPort, upstreamPort);
        using (var file = File.OpenRead(pcap))
        using (var buffered = new BufferedStream(file, 1 << 20))
        {
            PcapReader.Read(buffered, capture.OnSegment);
        }
        return capture.Finish();
    }

    /// <summary>tcpdump's "N packets dropped by kernel" (0 when the line is missing).</summary>
    public static long CaptureDropped(string tcpdumpStderr)
    {
        foreach (var line in tcpdumpStderr.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.EndsWith("packets dropped by kernel", StringComparison.Ordinal) && long.TryParse(trimmed.Split(' ')[0], out var n)) return n;
        }
        return 0;
    }

    /// <summary>One request/response exchange on one connection.</summary>
    internal sealed class Exchange(string? requestId)
    {
        /// <summary>The request's <c>x-request-id</c>, else the response's (a gateway that made one up answers with it).</summary>
        public string? RequestId { get; set; } = requestId;
        public long RequestDone { get; set; }
        public List<long> Events { get; } = new(72);
        public long DoneEvent { get; set; } = -1;
        public int UsageOnlyEvents { get; set; }
        public bool Complete { get; set; }
    }

    private sealed class Capture(int gatewayPort, int upstreamPort)
    {
        private readonly Dictionary<(UInt128, int, UInt128, int), Connection> _connections = [];
        public readonly Dictionary<string, Exchange> Client = [], Upstream = [];
        public long Duplicates, Lost, Unidentified;

        public void OnSegment(in TcpSegment s)
        {
            bool toServer;
            int serverPort;
            if (s.DestinationPort == gatewayPort || s.DestinationPort == upstreamPort) { toServer = true; serverPort = s.DestinationPort; }
            else if (s.SourcePort == gatewayPort || s.SourcePort == upstreamPort) { toServer = false; serverPort = s.SourcePort; }
            else return;
            var key = toServer ? (s.Source, s.SourcePort, s.Destination, s.DestinationPort) : (s.Destination, s.DestinationPort, s.Source, s.SourcePort);
            if (!_connections.TryGetValue(key, out var connection))
            {
                connection = new Connection(this, serverPort == gatewayPort ? Client : Upstream);
                _connections[key] = connection;
            }
            connection.OnSegment(s, toServer);
            if ((s.Flags & (TcpSegment.Fin | TcpSegment.Rst)) != 0 && connection.Closed) _connections.Remove(key);
        }

        public WireAnalysis Finish() => new(Client, Upstream, Duplicates, Lost, Unidentified);
    }

    /// <summary>A TCP connection's two directions, reassembled, and its exchanges in order (HTTP/1.1, no pipelining).</summary>
    private sealed class Connection
    {
        private readonly Capture _capture;
        private readonly Dictionary<string, Exchange> _side;
        private readonly Direction _requests, _responses;
        private readonly Queue<Exchange> _pending = new();
        private Exchange? _reading, _answering;
        private bool _requestsClosed, _responsesClosed;

        public Connection(Capture capture, Dictionary<string, Exchange> side)
        {
            _capture = capture;
            _side = side;
            _requests = new Direction(new HttpMessageParser(requests: true, new RequestSink(this)));
            _responses = new Direction(new HttpMessageParser(requests: false, new ResponseSink(this)));
        }

        public bool Closed => _requestsClosed && _responsesClosed;

        public void OnSegment(in TcpSegment s, bool toServer)
        {
            var direction = toServer ? _requests : _responses;
            if (direction.Accept(s, out var payload))
            {
                if (!payload.IsEmpty) direction.Parser.Feed(s.TimeNs, payload);
            }
            else
            {
                // Bytes missing from the capture: neither direction can be paired reliably any more.
                _capture.Lost++;
                _pending.Clear();
                _reading = _answering = null;
                _requests.Parser.Lost();
                _responses.Parser.Lost();
                if (!payload.IsEmpty) direction.Parser.Feed(s.TimeNs, payload);
            }
            if ((s.Flags & (TcpSegment.Fin | TcpSegment.Rst)) != 0)
            {
                direction.Parser.Closed(s.TimeNs);
                if (toServer) _requestsClosed = true;
                else _responsesClosed = true;
                if ((s.Flags & TcpSegment.Rst) != 0) _requestsClosed = _responsesClosed = true;
            }
        }

        private sealed class RequestSink(Connection c) : IHttpMessageSink
        {
            public void Start(long timeNs, int status, string? requestId) => c._reading = new Exchange(requestId);

            public void Event(long timeNs, SseEventKind kind)
            {
            }

            public void Complete(long timeNs)
            {
                if (c._reading is not { } exchange) return;
                exchange.RequestDone = timeNs;
                c._pending.Enqueue(exchange);
                c._reading = null;
            }

            public void Abandon() => c._reading = null;
        }

        private sealed class ResponseSink(Connection c) : IHttpMessageSink
        {
            // A response whose request was not captured (the capture began after it) has nothing to pair with.
            public void Start(long timeNs, int status, string? requestId)
            {
                c._answering = c._pending.TryDequeue(out var exchange) ? exchange : null;
                if (c._answering is not null) c._answering.RequestId ??= requestId;
            }

            public void Event(long timeNs, SseEventKind kind)
            {
                if (c._answering is not { } exchange) return;
                switch (kind)
                {
                    case SseEventKind.Done: exchange.DoneEvent = timeNs; break;
                    case SseEventKind.UsageOnly: exchange.UsageOnlyEvents++; break;
                    default: exchange.Events.Add(timeNs); break;
                }
            }

            public void Complete(long timeNs)
            {
                if (c._answering is not { } exchange) return;
                c._answering = null;
                exchange.Complete = true;
                if (exchange.RequestId is null) c._capture.Unidentified++;
                else if (!c._side.TryAdd(exchange.RequestId, exchange)) c._capture.Duplicates++;
            }

            public void Abandon() => c._answering = null;
        }
    }

    /// <summary>One direction's byte stream, in sequence order; a capture joined mid-connection starts at the first segment seen.</summary>
    private sealed class Direction(HttpMessageParser parser)
    {
        private bool _started;
        private uint _next;

        public HttpMessageParser Parser { get; } = parser;

        /// <summary>The segment's new bytes (a retransmission's old ones cut off); false when bytes before it are missing.</summary>
        public bool Accept(in TcpSegment s, out ReadOnlySpan<byte> payload)
        {
            payload = s.Payload;
            if ((s.Flags & TcpSegment.Syn) != 0)
            {
                _started = true;
                _next = s.Sequence + 1;
                Parser.AtConnectionStart();
                return true;
            }
            if (!_started)
            {
                _started = true;
                _next = s.Sequence;
            }
            var ahead = (int)(s.Sequence - _next);
            if (ahead > 0)
            {
                _next = s.Sequence + (uint)payload.Length;
                return false;
            }
            if (ahead < 0)
            {
                payload = -ahead >= payload.Length ? default : payload[-ahead..];
            }
            _next += (uint)payload.Length;
            return true;
        }
    }
}

/// <summary>The matched streams of a capture and what the gateway added to them.</summary>
internal sealed class WireAnalysis
{
    private const long Gap200MsNs = 200_000_000;

    public WireAnalysis(Dictionary<string, WireTiming.Exchange> client, Dictionary<string, WireTiming.Exchange> upstream, long duplicates, long lost, long unidentified)
    {
        Duplicates = duplicates;
        TcpGaps = lost;
        Unidentified = unidentified;
        foreach (var (id, outgoing) in client)
        {
            if (!outgoing.Complete) continue;
            if (!upstream.TryGetValue(id, out var incoming) || !incoming.Complete)
            {
                ClientOnly++;
                continue;
            }
            Matched++;
            EventsIn += incoming.Events.Count;
            EventsOut += outgoing.Events.Count;
            UsageOnlyIn += incoming.UsageOnlyEvents;
            UsageOnlyOut += outgoing.UsageOnlyEvents;
            if (incoming.Events.Count != outgoing.Events.Count) EventsDiffer++;
            if (outgoing.DoneEvent < 0) WithoutDone++;
            RequestPath.RecordValue(Micros(incoming.RequestDone - outgoing.RequestDone));
            if (incoming.Events.Count > 0 && outgoing.Events.Count > 0)
            {
                var clientTtft = outgoing.Events[0] - outgoing.RequestDone;
                var upstreamTtft = incoming.Events[0] - incoming.RequestDone;
                AddedTtft.RecordValue(Micros(clientTtft - upstreamTtft));
                FirstEvent.RecordValue(Micros(outgoing.Events[0] - incoming.Events[0]));
            }
            var n = Math.Min(incoming.Events.Count, outgoing.Events.Count);
            for (var i = 0; i < n; i++)
            {
                Relay.RecordValue(Micros(outgoing.Events[i] - incoming.Events[i]));
                if (i == 0) continue;
                var clientGap = outgoing.Events[i] - outgoing.Events[i - 1];
                var upstreamGap = incoming.Events[i] - incoming.Events[i - 1];
                if (clientGap > Gap200MsNs)
                {
                    ClientGapsOver200Ms++;
                    if (upstreamGap <= Gap200MsNs) AddedGapsOver200Ms++;
                }
                // The gateway's own share of a gap: how much longer it held this event than the one before.
                if (clientGap - upstreamGap > Gap200MsNs) GatewayGapsOver200Ms++;
                if (upstreamGap > Gap200MsNs) UpstreamGapsOver200Ms++;
            }
        }
        foreach (var (id, incoming) in upstream)
        {
            if (incoming.Complete && !client.ContainsKey(id)) UpstreamOnly++;
        }
    }

    public long UsageOnlyIn, UsageOnlyOut;
    public long Matched, ClientOnly, UpstreamOnly, EventsIn, EventsOut, EventsDiffer, WithoutDone;
    public long ClientGapsOver200Ms, UpstreamGapsOver200Ms, AddedGapsOver200Ms, GatewayGapsOver200Ms;
    public long Duplicates, TcpGaps, Unidentified;
    public readonly HdrHistogram.LongHistogram AddedTtft = Results.NewHistogram(), Relay = Results.NewHistogram(), RequestPath = Results.NewHistogram(), FirstEvent = Results.NewHistogram();

    // Histograms hold 1 µs and up; a delay is never negative on one clock, but keep the floor explicit.
    private static long Micros(long ns) => Math.Max(1, ns / 1000);

    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["mode"] = "wire",
            ["streams_matched"] = Matched,
            ["streams_client_only"] = ClientOnly,
            ["streams_upstream_only"] = UpstreamOnly,
            ["streams_events_differ"] = EventsDiffer,
            ["streams_without_done"] = WithoutDone,
            ["events_in"] = EventsIn,
            ["events_out"] = EventsOut,
            ["usage_only_events_in"] = UsageOnlyIn,
            ["usage_only_events_out"] = UsageOnlyOut,
            ["gaps_added_over_200ms"] = AddedGapsOver200Ms,
            ["gaps_gateway_share_over_200ms"] = GatewayGapsOver200Ms,
            ["client_gaps_over_200ms"] = ClientGapsOver200Ms,
            ["upstream_gaps_over_200ms"] = UpstreamGapsOver200Ms,
            ["duplicate_ids"] = Duplicates,
            ["unidentified"] = Unidentified,
            ["tcp_gaps"] = TcpGaps,
        };
        Results.AddPercentiles(o, "added_ttft_", AddedTtft);
        Results.AddPercentiles(o, "relay_", Relay);
        Results.AddPercentiles(o, "request_", RequestPath);
        Results.AddPercentiles(o, "first_event_", FirstEvent);
        return o;
    }
}
