using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gateway.Proxy.Snapshots;

/// <summary>
/// Converts a YAML snapshot to the JSON the snapshot reader expects, with YAML 1.2 core-schema
/// typing: plain scalars that look like numbers, booleans or null become those; quoted scalars
/// stay strings (quote a key id made only of digits). Anchors and aliases are not supported.
/// </summary>
internal static partial class YamlSnapshotReader
{
    public static byte[] ToJson(ReadOnlySpan<byte> utf8Yaml)
    {
        var parser = new Parser(new StringReader(Encoding.UTF8.GetString(utf8Yaml)));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
                throw new YamlException("The YAML snapshot is empty.");
            WriteNode(parser, writer);
            parser.Consume<DocumentEnd>();
        }
        return buffer.ToArray();
    }

    private static void WriteNode(IParser parser, Utf8JsonWriter writer)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            WriteScalar(scalar, writer);
        }
        else if (parser.TryConsume<MappingStart>(out _))
        {
            writer.WriteStartObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>();
                writer.WritePropertyName(key.Value);
                WriteNode(parser, writer);
            }
            writer.WriteEndObject();
        }
        else if (parser.TryConsume<SequenceStart>(out _))
        {
            writer.WriteStartArray();
            while (!parser.TryConsume<SequenceEnd>(out _))
                WriteNode(parser, writer);
            writer.WriteEndArray();
        }
        else
        {
            var current = parser.Current;
            throw new YamlException(current?.Start ?? Mark.Empty, current?.End ?? Mark.Empty, "Anchors, aliases and tags are not supported in a snapshot file.");
        }
    }

    private static void WriteScalar(Scalar scalar, Utf8JsonWriter writer)
    {
        var value = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain)
        {
            writer.WriteStringValue(value);
            return;
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }
        if (NumberPattern().IsMatch(value) && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            writer.WriteNumberValue(number);
        else
            writer.WriteStringValue(value);
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
