using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.MockLlm.Http;

/// <summary>
/// A request body read into a pooled buffer and parsed with <see cref="JsonDocument"/> (no
/// reflection). Empty, truncated or malformed JSON, invalid UTF-8 or a non-object root is a 400.
/// </summary>
internal sealed class JsonBody : IDisposable
{
    private readonly byte[] _buffer;
    private readonly JsonDocument _document;

    private JsonBody(byte[] buffer, JsonDocument document)
    {
        _buffer = buffer;
        _document = document;
    }

    public JsonElement Root => _document.RootElement;

    public static async Task<JsonBody> ReadAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        ReadResult result;
        while (true)
        {
            result = await reader.ReadAsync(context.RequestAborted);
            if (result.IsCompleted || result.IsCanceled) break;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        var length = checked((int)result.Buffer.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        result.Buffer.CopyTo(buffer);
        reader.AdvanceTo(result.Buffer.End);

        try
        {
            var bytes = buffer.AsMemory(0, length);
            if (length == 0) throw new MockHttpException(400, "The request body is empty; a JSON object was expected.");
            if (!Utf8.IsValid(bytes.Span)) throw new MockHttpException(400, "The request body is not valid UTF-8.");
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 64 });
            }
            catch (JsonException ex)
            {
                throw new MockHttpException(400,
                    $"We could not parse the JSON body of your request: {ex.Message}");
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new MockHttpException(400, "The request body must be a JSON object.");
            }
            return new JsonBody(buffer, document);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        _document.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
