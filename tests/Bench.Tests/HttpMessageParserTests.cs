using System.Text;
using Gateway.Bench.LoadGen.Wire;
using static Gateway.Bench.Tests.Wire;

namespace Gateway.Bench.Tests;

/// <summary>The wire analysis's HTTP/1.1 reader: however the bytes fall into segments, each event is dated by the segment that completed it.</summary>
public sealed class HttpMessageParserTests
{
    private static readonly string Response = StreamHead("id-1") + Chunk(Event(0)) + Chunk(Event(1) + Event(2)) + Chunk(UsageEvent) + Chunk(Done) + LastChunk;

    [Fact]
    public void EverySplitOfAStreamIntoTwoSegments_GivesTheSameEvents_DatedByTheSegmentThatEndedThem()
    {
        var bytes = Encoding.ASCII.GetBytes(Response);
        // Where each event's last byte is in the stream (the second newline of its "\n\n").
        var ends = new List<int>();
        var text = Response;
        foreach (var data in new[] { Event(0), Event(1), Event(2), UsageEvent, Done })
        {
            var at = text.IndexOf(data, ends.Count == 0 ? 0 : ends[^1], StringComparison.Ordinal);
            ends.Add(at + data.Length - 1);
        }
        var headEnd = Response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 3;

        for (var split = 1; split < bytes.Length; split++)
        {
            var sink = new RecordingSink();
            var parser = new HttpMessageParser(requests: false, sink);
            parser.Feed(1, bytes.AsSpan(0, split));
            parser.Feed(2, bytes.AsSpan(split));

            var expected = ends.Select(end => end < split ? 1L : 2L).ToList();
            Assert.Equal([(headEnd < split ? 1L : 2L, 200, "id-1")], sink.Starts);
            Assert.Equal(expected, sink.Events.Select(e => e.Time));
            Assert.Equal([SseEventKind.Data, SseEventKind.Data, SseEventKind.Data, SseEventKind.UsageOnly, SseEventKind.Done], sink.Events.Select(e => e.Kind));
            Assert.Equal([2L], sink.Completes);
        }
    }

    [Fact]
    public void KeepAliveMessages_FollowEachOther_InOneSegmentOrMany()
    {
        var sink = new RecordingSink();
        var parser = new HttpMessageParser(requests: true, sink);
        var two = Encoding.ASCII.GetBytes(Request("r1") + Request("r2", body: "{}"));

        parser.Feed(5, two);
        parser.Feed(6, Encoding.ASCII.GetBytes(Request("r3")[..10]));
        parser.Feed(7, Encoding.ASCII.GetBytes(Request("r3")[10..]));

        Assert.Equal(["r1", "r2", "r3"], sink.Starts.Select(s => s.Id));
        Assert.Equal([5L, 5L, 7L], sink.Completes);
    }

    [Fact]
    public void ABodyByContentLength_AndOneUntilClose_AreRead()
    {
        var sink = new RecordingSink();
        var parser = new HttpMessageParser(requests: false, sink);
        var sse = Event(0) + Done;
        parser.Feed(1, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {sse.Length}\r\n\r\n{sse}"));
        parser.Feed(2, Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\n\r\n{Event(1)}"));
        parser.Closed(3);

        Assert.Equal([1L, 3L], sink.Completes);
        Assert.Equal([(1L, SseEventKind.Data), (1L, SseEventKind.Done), (2L, SseEventKind.Data)], sink.Events);
    }

    [Fact]
    public void AnInterimAnswer_IsNotAMessage()
    {
        var sink = new RecordingSink();
        var parser = new HttpMessageParser(requests: false, sink);
        parser.Feed(1, Encoding.ASCII.GetBytes("HTTP/1.1 100 Continue\r\n\r\n" + StreamHead() + Chunk(Done) + LastChunk));

        Assert.Equal([(1L, 200, (string?)null)], sink.Starts);
        Assert.Equal([1L], sink.Completes);
    }

    [Fact]
    public void ABrokenChunkSize_AbandonsTheMessage_AndTheNextMessageIsReadAgain()
    {
        var sink = new RecordingSink();
        var parser = new HttpMessageParser(requests: false, sink);
        parser.Feed(1, Encoding.ASCII.GetBytes(StreamHead() + "zz\r\n" + Event(0)));
        parser.Feed(2, Encoding.ASCII.GetBytes(StreamHead() + Chunk(Event(1)) + LastChunk));

        Assert.Equal(1, sink.Abandons);
        Assert.Equal([2L], sink.Completes);
        Assert.Equal([(2L, SseEventKind.Data)], sink.Events);
    }

    private sealed class RecordingSink : IHttpMessageSink
    {
        public List<(long Time, int Status, string? Id)> Starts { get; } = [];
        public List<(long Time, SseEventKind Kind)> Events { get; } = [];
        public List<long> Completes { get; } = [];
        public int Abandons { get; private set; }

        public void Start(long timeNs, int status, string? requestId) => Starts.Add((timeNs, status, requestId));

        public void Event(long timeNs, SseEventKind kind) => Events.Add((timeNs, kind));

        public void Complete(long timeNs) => Completes.Add(timeNs);

        public void Abandon() => Abandons++;
    }
}
