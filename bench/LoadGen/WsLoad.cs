using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Gateway.Bench.LoadGen;

/// <summary>
/// Opens N WebSockets and holds them idle, so the target's memory per connection can be read
/// from /proc while they are open (<c>--ready-file</c> is written once all are open; deleting it
/// releases them before <c>--hold</c> seconds are up).
/// </summary>
internal static class WsLoad
{
    public static async Task<int> RunAsync(Options o, CancellationToken ct)
    {
        var url = new Uri(o.Required("url"));
        var count = o.Int("count", 100);
        var hold = o.Double("hold", 10);
        var parallel = o.Int("parallel", 64);
        var headers = o.Headers().ToList();
        var protocols = o.All("subprotocol");
        var sockets = new ClientWebSocket?[count];
        long opened = 0, failed = 0;

        using var gate = new SemaphoreSlim(parallel);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            await gate.WaitAsync(ct).ConfigureAwait(false);
            tasks[i] = Task.Run(async () =>
            {
                var ws = new ClientWebSocket();
                ws.Options.KeepAliveInterval = TimeSpan.Zero;
                foreach (var (name, value) in headers) ws.Options.SetRequestHeader(name, value);
                foreach (var p in protocols) ws.Options.AddSubProtocol(p);
                try
                {
                    await ws.ConnectAsync(url, ct).ConfigureAwait(false);
                    sockets[index] = ws;
                    Interlocked.Increment(ref opened);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    ws.Dispose();
                    Interlocked.Increment(ref failed);
                }
                finally
                {
                    gate.Release();
                }
            }, ct);
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);
        if (o.Get("ready-file") is { } ready) await File.WriteAllTextAsync(ready, opened.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);

        // Held for --hold seconds, or until the caller deletes the ready file (it has read /proc).
        var releaseAt = DateTime.UtcNow.AddSeconds(hold);
        try
        {
            while (DateTime.UtcNow < releaseAt && (o.Get("ready-file") is not { } file || File.Exists(file)))
                await Task.Delay(200, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        var stillOpen = 0;
        foreach (var ws in sockets)
        {
            if (ws?.State == WebSocketState.Open) stillOpen++;
            ws?.Abort();
            ws?.Dispose();
        }

        Results.Emit(o, new JsonObject
        {
            ["mode"] = "ws",
            ["requested"] = count,
            ["opened"] = opened,
            ["failed"] = failed,
            ["open_at_end"] = stillOpen,
        });
        return failed == 0 ? 0 : 1;
    }
}
