using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.MockLlm.Tests;

/// <summary>The realtime WebSocket with <see cref="ClientWebSocket"/>: both auth styles, the event sequence, bad JSON.</summary>
public sealed class RealtimeTests(MockLlmFixture host)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri RealtimeUri => new($"ws://{host.BaseAddress.Authority}/v1/realtime?model=gpt-4o-realtime-preview-2024-12-17");

    [Fact]
    public async Task BearerHeader_SessionItemResponse_FollowTheEventSequence_AndTallyMatchesUsage()
    {
        var requestId = "realtime-" + Guid.NewGuid().ToString("N");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + MockLlmHost.Key);
        socket.Options.SetRequestHeader("x-request-id", requestId);
        socket.Options.SetRequestHeader("x-mock-chunks", "3");
        await socket.ConnectAsync(RealtimeUri, Ct);

        Assert.Equal("session.created", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        await SendAsync(socket, """{"type":"session.update","session":{"instructions":"Be brief."}}""");
        var updated = await ReceiveAsync(socket);
        Assert.Equal("session.updated", updated.GetProperty("type").GetString());
        Assert.Equal("Be brief.", updated.GetProperty("session").GetProperty("instructions").GetString());

        await SendAsync(socket, """{"type":"conversation.item.create","item":{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello realtime"}]}}""");
        Assert.Equal("conversation.item.created", (await ReceiveAsync(socket)).GetProperty("type").GetString());

        await SendAsync(socket, """{"type":"response.create"}""");
        var events = new List<JsonElement>();
        do events.Add(await ReceiveAsync(socket));
        while (events[^1].GetProperty("type").GetString() != "response.done");

        Assert.Equal(["response.created", "response.output_item.added", "response.content_part.added",
            "response.text.delta", "response.text.delta", "response.text.delta", "response.text.done",
            "response.content_part.done", "response.output_item.done", "response.done"],
            events.Select(e => e.GetProperty("type").GetString()).ToArray());
        var text = string.Concat(events.Where(e => e.GetProperty("type").GetString() == "response.text.delta").Select(e => e.GetProperty("delta").GetString()));
        Assert.Equal(text, events[6].GetProperty("text").GetString());
        var usage = events[^1].GetProperty("response").GetProperty("usage");
        Assert.Equal(Tokens.Count(text), usage.GetProperty("output_tokens").GetInt32());
        // 3 + (3 + 1 + tokens(instructions)) + (3 + 1 + tokens(item))
        Assert.Equal(3 + 4 + Tokens.Count("Be brief.") + 4 + Tokens.Count("Hello realtime"), usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32() + usage.GetProperty("output_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("input_token_details").GetProperty("cached_tokens").GetInt32());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        var tally = await host.TallyAsync(requestId);
        Assert.Equal("realtime", tally.GetProperty("endpoint").GetString());
        Assert.Equal(usage.GetProperty("input_tokens").GetInt32(), tally.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("output_tokens").GetInt32(), tally.GetProperty("completion_tokens").GetInt32());
        Assert.True(tally.GetProperty("completed").GetBoolean());
    }

    [Fact]
    public async Task KeySubprotocol_IsAccepted_AndRealtimeProtocolSelected()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol("openai-insecure-api-key." + MockLlmHost.Key);
        await socket.ConnectAsync(RealtimeUri, Ct);

        Assert.Equal("realtime", socket.SubProtocol);
        Assert.Equal("session.created", (await ReceiveAsync(socket)).GetProperty("type").GetString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Ct);
    }

    [Fact]
    public async Task NoKey_IsRefusedWith401()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(RealtimeUri, Ct));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task BadEvents_GetErrorEvents_AndTheSessionGoesOn()
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + MockLlmHost.Key);
        await socket.ConnectAsync(RealtimeUri, Ct);
        await ReceiveAsync(socket);

        foreach (var bad in new[] { "{not json", "[1,2]", """{"type":42}""", """{"type":"nope.nothing"}""",
                     """{"type":"conversation.item.create","item":{"type":"message","role":"user","content":"not-an-array"}}""",
                     """{"type":"response.create","response":{"max_output_tokens":"lots"}}""" })
        {
            await SendAsync(socket, bad);
            var error = await ReceiveAsync(socket);
            Assert.Equal("error", error.GetProperty("type").GetString());
            Assert.Equal("invalid_request_error", error.GetProperty("error").GetProperty("type").GetString());
        }
        // Invalid UTF-8 in a text frame is a WebSocket protocol error (RFC 6455 §8.1): the socket layer fails the
        // connection before MockLlm sees it, so it is not part of this event-level check.

        await SendAsync(socket, """{"type":"response.create","response":{"max_output_tokens":2}}""");
        JsonElement done;
        do done = await ReceiveAsync(socket);
        while (done.GetProperty("type").GetString() != "response.done");
        Assert.Equal("incomplete", done.GetProperty("response").GetProperty("status").GetString());
        Assert.Equal(2, done.GetProperty("response").GetProperty("usage").GetProperty("output_tokens").GetInt32());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Ct);
    }

    [Fact]
    public async Task DropAfterChunks_CutsTheConnection_AndTallyKeepsWhatWasSent()
    {
        var requestId = "realtime-drop-" + Guid.NewGuid().ToString("N");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + MockLlmHost.Key);
        socket.Options.SetRequestHeader("x-request-id", requestId);
        socket.Options.SetRequestHeader("x-mock-output-tokens", "6");
        socket.Options.SetRequestHeader("x-mock-chunks", "3");
        socket.Options.SetRequestHeader("x-mock-drop-after-chunks", "1");
        await socket.ConnectAsync(RealtimeUri, Ct);
        await ReceiveAsync(socket);
        await SendAsync(socket, """{"type":"response.create"}""");

        var types = new List<string?>();
        var cut = false;
        try
        {
            while (true) types.Add((await ReceiveAsync(socket)).GetProperty("type").GetString());
        }
        catch (Exception ex) when (ex is WebSocketException or InvalidOperationException)
        {
            cut = true;
        }

        Assert.True(cut);
        Assert.DoesNotContain("response.done", types);
        Assert.True(types.Count(t => t == "response.text.delta") <= 1);
        var tally = await host.TallyAsync(requestId);
        Assert.False(tally.GetProperty("completed").GetBoolean());
        Assert.Equal(2, tally.GetProperty("completion_tokens").GetInt32());
    }

    internal static Task SendAsync(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, Ct);

    internal static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), Ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("closed");
            length += result.Count;
            if (result.EndOfMessage) break;
        }
        return JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone();
    }
}
