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

        var output = new List<byte>(span.Length + modelJson.Length + IncludeUsageMember.Length + 16);
        Append(output, span[..(open + 1)]);
        var inserted = false;
        if (insertModel)
        {
            Append(output, "\"model\":"u8);
            Append(output, modelJson);
            inserted = true;
        }
        if (injectUsage)
        {
            if (inserted) output.Add((byte)',');
            Append(output, IncludeUsageMember);
            inserted = true;
        }
        if (inserted && nonEmpty) output.Add((byte)',');
        if (replaceModel)
        {
            Append(output, span[(open + 1)..info.ModelTokenStart]);
            Append(output, modelJson);
            Append(output, span[(info.ModelTokenStart + info.ModelTokenLength)..]);
        }
        else
        {
            Append(output, span[(open + 1)..]);
        }
        return output.ToArray();
    }

    private static void Append(List<byte> output, ReadOnlySpan<byte> bytes) => output.AddRange(bytes);

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
