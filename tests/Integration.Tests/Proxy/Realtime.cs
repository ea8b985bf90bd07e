using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Contracts.Errors;

namespace Gateway.Integration.Tests.Proxy;

/// <summary>A realtime WebSocket session through a proxy, as the tests drive it against MockLlm.</summary>
internal static class Realtime
{
    /// <summary>
    /// Opens a session on <c>gpt-4o-realtime</c> through the proxy at <paramref name="proxy"/>, the key in a
    /// subprotocol as browser clients send it, and asks for one text response.
    /// </summary>
    public static async Task<ClientWebSocket> StartTextResponseAsync(Uri proxy, string key, string? requestId, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("realtime");
        socket.Options.AddSubProtocol(GatewayHeaders.WebSocketKeyProtocolPrefix + key);
        socket.Options.AddSubProtocol("openai-beta.realtime-v1");
        if (requestId is not null) socket.Options.SetRequestHeader(GatewayHeaders.RequestId, requestId);
        await socket.ConnectAsync(new Uri($"ws://{proxy.Authority}/v1/realtime?model=gpt-4o-realtime"), ct);
        Assert.Equal("realtime", socket.SubProtocol);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"response.create","response":{"modalities":["text"]}}"""), WebSocketMessageType.Text, true, ct);
        return socket;
    }

    /// <summary>
    /// The types of the server's events up to and including <paramref name="lastType"/>, each message
    /// reassembled from its frames; fails on anything but a text message (a close included) or on
    /// 30 s of silence, naming the events so far and <paramref name="context"/>.
    /// </summary>
    public static async Task<List<string>> EventTypesUntilAsync(ClientWebSocket socket, string lastType, CancellationToken ct, Func<string>? context = null)
    {
        var types = new List<string>();
        var buffer = new byte[64 * 1024];
        while (types.LastOrDefault() != lastType)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            Assert.True(result.MessageType == WebSocketMessageType.Text, $"{result.MessageType} after {string.Join(", ", types)}\n{context?.Invoke()}");
            types.Add(JsonDocument.Parse(message.ToArray()).RootElement.GetProperty("type").GetString()!);
        }
        return types;
    }
}
