using System.Net;
using System.Text;

namespace Gateway.Proxy.Tests.Infrastructure;

/// <summary>
/// A request body sent with chunked transfer encoding (no Content-Length). With a
/// <paramref name="pause"/>, its first half is written and flushed, and the rest follows after the
/// pause, so the proxy's first read finds only part of it.
/// </summary>
internal sealed class ChunkedContent(string text, TimeSpan? pause = null) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (pause is not { } wait)
        {
            await stream.WriteAsync(bytes);
            return;
        }
        await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
        await stream.FlushAsync();
        await Task.Delay(wait);
        await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
