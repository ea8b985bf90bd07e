using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.Pipeline;

namespace Gateway.Proxy.Providers;

/// <summary>
/// Edits a pass-through body without parsing it again: the <c>model</c> token is replaced by
/// the upstream model (or inserted when the client named the model in the path), and a stream
/// gets <c>stream_options.include_usage</c>. Returns the original bytes when nothing changes.
/// </summary>
internal static class BodyRewriter
{
    private static readonly byte[] IncludeUsageMember = "\"stream_options\":{\"include_usage\":true}"u8.ToArray();

    public static ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> body, in RequestBodyInfo info, ReadOnlySpan<byte> modelJson, bool setModel, bool injectUsage)
    {
        if (injectUsage && info.HasStreamOptions) return RewriteWithDom(body, setModel ? modelJson : default);

        var span = body.Span;
        var replaceModel = setModel && info.HasModel && !span.Slice(info.ModelTokenStart, info.ModelTokenLength).SequenceEqual(modelJson);
        var insertModel = setModel && !info.HasModel;
        if (!replaceModel && !insertModel && !injectUsage) return body;

        var open = span.IndexOf((byte)'{');
        var afterOpen = span[(open + 1)..];
        var next = afterOpen.IndexOfAnyExcept(" \t\r\n"u8);
        var nonEmpty = next >= 0 && afterOpen[next] != (byte)'}';

        var modelInsert = insertModel ? "\"model\":"u8.Length + modelJson.Length : 0;
        var usageInsert = injectUsage ? IncludeUsageMember.Length + (insertModel ? 1 : 0) : 0;
        var inserted = modelInsert + usageInsert > 0;
        var length = span.Length + modelInsert + usageInsert + (inserted && nonEmpty ? 1 : 0)
            + (replaceModel ? modelJson.Length - info.ModelTokenLength : 0);
        var output = new byte[length];
        var w = 0;
        void Put(ReadOnlySpan<byte> bytes, Span<byte> to)
        {
            bytes.CopyTo(to[w..]);
            w += bytes.Length;
        }
        Put(span[..(open + 1)], output);
        if (insertModel)
        {
            Put("\"model\":"u8, output);
            Put(modelJson, output);
        }
        if (injectUsage)
        {
            if (insertModel) Put(","u8, output);
            Put(IncludeUsageMember, output);
        }
        if (inserted && nonEmpty) Put(","u8, output);
        if (replaceModel)
        {
            Put(span[(open + 1)..info.ModelTokenStart], output);
            Put(modelJson, output);
            Put(span[(info.ModelTokenStart + info.ModelTokenLength)..], output);
        }
        else
        {
            Put(span[(open + 1)..], output);
        }
        return output;
    }

    /// <summary>The rare case (the client sent <c>stream_options</c> without <c>include_usage</c>): edit a DOM.</summary>
    private static byte[] RewriteWithDom(ReadOnlyMemory<byte> body, ReadOnlySpan<byte> modelJson)
    {
        var root = JsonNode.Parse(body.Span)!.AsObject();
        if (!modelJson.IsEmpty) root["model"] = JsonNode.Parse(modelJson);
        if (root["stream_options"] is JsonObject options) options["include_usage"] = true;
        else root["stream_options"] = new JsonObject { ["include_usage"] = true };
        return JsonSerializer.SerializeToUtf8Bytes(root, JsonContext.Default.JsonObject);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
