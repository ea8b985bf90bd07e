using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using Gateway.Proxy.Tests.Infrastructure;
using Gateway.Testing;
using Microsoft.AspNetCore.Http;

namespace Gateway.Proxy.Tests;

/// <summary>
/// Realtime sessions that misbehave, in bulk: clients that send events mutated at random
/// (<see cref="JsonMutator"/>), text that is not JSON, binary frames, a message in fragments, an
/// empty one, one of 100 KB, and then close, abort or just half-close; a provider that sometimes
/// answers with a mutated <c>response.done</c>. Every session is one ledger record, each one the
/// control plane accepts; a session closed cleanly whose provider reported sound usage is metered
/// to the token (the sum of every <c>response.done</c> the provider sent); an aborted one never
/// counts more than was sent; no concurrency lease is left held and no error is logged.
/// The mutations are the same on every run; <c>FUZZ_SEED=n</c> picks another sequence to explore.
/// </summary>
public sealed class MalformedRealtimeTests : IAsyncLifetime
{
    private const int Sessions = 60;
    private const string Done = """{"type":"response.done","response":{"status":"completed","usage":{"total_tokens":6,"input_tokens":4,"output_tokens":2,"input_token_details":{"cached_tokens":1}}}}""";
    private static readonly JsonMutator Mutator = new(["type", "response", "usage", "input_tokens", "output_tokens", "total_tokens", "cached_tokens", "input_token_details", "delta", "item", "event_id"]);

    /// <summary>What the provider sent per session: response.done events, and whether any was mutated.</summary>
    private readonly ConcurrentDictionary<string, (int Done, bool Mutated)> _sent = new();
    private FakeUpstream _upstream = null!;
    private int _seed;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _seed = JsonMutator.Seed;
        _upstream = await FakeUpstream.StartAsync(ProviderAsync);
    }

    public async ValueTask DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>Answers every whole client message (text or binary) with a delta and a response.done; every fifth session's done events are mutated.</summary>
    private async Task ProviderAsync(HttpContext context, RecordedRequest request)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var id = request.Header("x-request-id")!;
        var index = int.Parse(id[(id.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(_seed * 31 + index);
        var mutate = index % 5 == 4;
        _sent[id] = (0, false);
        using var socket = await context.WebSockets.AcceptWebSocketAsync("realtime");
        await SendAsync(socket, """{"type":"session.created","session":{"id":"sess_1"}}""");
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result;
                do result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }
                await SendAsync(socket, """{"type":"response.text.delta","delta":"Hey"}""");
                var done = mutate ? Mutator.Mutate(Done, random).Body : Done;
                _sent.AddOrUpdate(id, _ => (1, mutate), (_, s) => (s.Done + 1, s.Mutated || mutate));
                await SendAsync(socket, done);
            }
        }
        catch (WebSocketException)
        {
            // The gateway dropped the session (its client aborted).
        }
    }

    private static Task SendAsync(WebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task MisbehavingSessions_AreEachOneSoundRecord_ExactWhenClosedCleanly()
    {
        var (proxy, logs) = await Fuzzing.StartAsync(Fuzzing.EveryPolicy(TestWorld.Snapshot(_upstream.Url, canaryPercent: 0)));
        await using var _ = proxy;

        var endings = new ConcurrentDictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Sessions), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (index, ct) =>
        {
            var id = $"rt-fuzz-{index}";
            endings[id] = await SessionAsync(proxy, id, new Random(_seed + index), ct);
        });

        var records = await Fuzzing.LedgerAsync(proxy, Sessions);
        foreach (var r in records)
        {
            var (done, mutated) = _sent[r.RequestId];
            var ending = endings[r.RequestId];
            var what = $"{r.RequestId} ({ending}, {done} done, mutated {mutated}): input {r.InputTokens} cached {r.CachedInputTokens} output {r.OutputTokens} estimated {r.Estimated}";
            Assert.True(r.InputTokens >= 0 && r.OutputTokens >= 0 && r.CachedInputTokens >= 0 && r.CachedInputTokens <= r.InputTokens, what);
            if (!mutated && ending == "closed") Assert.True((r.InputTokens, r.CachedInputTokens, r.OutputTokens) == (4L * done, 1L * done, 2L * done), what);
            if (!mutated) Assert.True(r.InputTokens <= 4L * done && r.OutputTokens <= 2L * done + 1, what);
        }
        Fuzzing.AssertNoErrorsLogged(logs);
    }

    /// <summary>One session: a few messages of random kinds, each answered before the next, then a random ending.</summary>
    private static async Task<string> SessionAsync(ProxyHost proxy, string id, Random random, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.SetRequestHeader("Authorization", "Bearer " + TestWorld.Key);
        socket.Options.SetRequestHeader("x-request-id", id);
        await socket.ConnectAsync(new Uri($"ws://{proxy.Address.Authority}/v1/realtime?model=voice"), ct);
        await ReceiveMessageAsync(socket, ct); // session.created
        var messages = random.Next(0, 6);
        for (var m = 0; m < messages; m++)
        {
            switch (random.Next(7))
            {
                case 0:
                    await SendTextAsync(socket, """{"type":"response.create","response":{"modalities":["text"]}}""", ct);
                    break;
                case 1:
                    await SendTextAsync(socket, Mutator.Mutate("""{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi"}]}}""", random).Body, ct);
                    break;
                case 2:
                    await SendTextAsync(socket, "not json at all", ct);
                    break;
                case 3:
                    var bytes = new byte[random.Next(1, 2000)];
                    random.NextBytes(bytes);
                    await socket.SendAsync(bytes, WebSocketMessageType.Binary, true, ct);
                    break;
                case 4:
                    await socket.SendAsync("""{"type":"response."""u8.ToArray(), WebSocketMessageType.Text, false, ct);
                    await socket.SendAsync("""create"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct);
                    break;
                case 5:
                    await socket.SendAsync(Array.Empty<byte>(), WebSocketMessageType.Text, true, ct);
                    break;
                default:
                    await SendTextAsync(socket, $$"""{"type":"input_audio_buffer.append","audio":"{{new string('A', 100_000)}}"}""", ct);
                    break;
            }
            await ReceiveMessageAsync(socket, ct); // the delta
            await ReceiveMessageAsync(socket, ct); // the done
        }
        switch (random.Next(10))
        {
            case < 7:
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);
                return "closed";
            case < 9:
                socket.Abort();
                return "aborted";
            default:
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "half", ct);
                return "half-closed";
        }
    }

    private static Task SendTextAsync(WebSocket socket, string text, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);

    private static async Task ReceiveMessageAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        ValueWebSocketReceiveResult result;
        do result = await socket.ReceiveAsync(buffer.AsMemory(), ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct);
        while (!result.EndOfMessage);
    }
}
