using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Proxy.Pipeline;

/// <summary>
/// Reads the whole request body into a pooled buffer, refusing more than the configured limit
/// (by <c>Content-Length</c> up front, or while reading a chunked body). The buffer goes back to
/// the pool when the response completes.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>The body, or null when it exceeds <paramref name="limit"/>.</summary>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        var declared = request.ContentLength;
        if (declared > limit) return null;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
            sizeFeature.MaxRequestBodySize = null; // the limit below answers in the documented error shape

        var initial = (int)Math.Min(declared ?? 16 * 1024, limit) + 1;
        var buffer = new PooledBuffer(initial);
        context.Response.RegisterForDispose(buffer);
        var length = 0;
        while (true)
        {
            if (length == buffer.Array.Length) buffer.Grow((int)Math.Min((long)buffer.Array.Length * 2, limit + 1));
            var read = await request.Body.ReadAsync(buffer.Array.AsMemory(length), context.RequestAborted);
            if (read == 0) break;
            length += read;
            if (length > limit) return null;
            if (length == declared) break; // all the declared bytes: no read just to be told the body ended
        }
        return buffer.Array.AsMemory(0, length);
    }

    private sealed class PooledBuffer(int size) : IDisposable
    {
        public byte[] Array { get; private set; } = ArrayPool<byte>.Shared.Rent(size);

        public void Grow(int size)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(size);
            Array.AsSpan().CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(Array);
            Array = bigger;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Array);
            Array = [];
        }
    }
}
