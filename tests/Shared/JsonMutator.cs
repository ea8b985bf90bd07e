using System.Text.Json.Nodes;

namespace Gateway.Testing;

/// <summary>
/// Bad input from good: one random change to a valid JSON body, mostly to its structure (a value
/// of another type, a property removed or added, an element appended, deep nesting, huge or odd
/// numbers and strings), sometimes to its text (cut off, a stray character). The same
/// <see cref="Random"/> seed gives the same changes. Linked into each test project.
/// </summary>
internal sealed class JsonMutator(IReadOnlyList<string> names)
{
    /// <summary>The seed of the tests' random sequences: the same on every run, another with <c>FUZZ_SEED=n</c> to explore.</summary>
    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var seed) ? seed : 20261128;

    /// <summary>One change to <paramref name="json"/>, and what it was.</summary>
    public (string Body, string Mutation) Mutate(string json, Random random)
    {
        switch (random.Next(10))
        {
            case 0:
                var cut = random.Next(json.Length);
                return (json[..cut], $"cut at {cut}");
            case 1:
                const string Characters = "{}[],:\"\\ x0-";
                var at = random.Next(json.Length);
                var inserted = Characters.Substring(random.Next(Characters.Length), 1);
                return (json.Insert(at, inserted), $"'{inserted}' inserted at {at}");
        }
        var root = JsonNode.Parse(json)!;
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        var target = nodes[random.Next(nodes.Count)];
        string mutation;
        switch (random.Next(4))
        {
            case 0 when target.Parent is not null:
                mutation = $"{target.GetPath()} removed";
                Remove(target);
                break;
            case 1 when target is JsonObject obj:
                var name = names[random.Next(names.Count)];
                obj[name] = Value(random, 0);
                mutation = $"{target.GetPath()}.{name} set to {obj[name]?.ToJsonString() ?? "null"}";
                break;
            case 2 when target is JsonArray array:
                array.Add(Value(random, 0));
                mutation = $"{target.GetPath()} appended {array[^1]?.ToJsonString() ?? "null"}";
                break;
            default:
                var value = Value(random, 0);
                mutation = $"{target.GetPath()} replaced by {value?.ToJsonString() ?? "null"}";
                if (target.Parent is null) return (value?.ToJsonString() ?? "null", mutation);
                Replace(target, value);
                break;
        }
        return (root.ToJsonString(), mutation);
    }

    private static void Collect(JsonNode node, List<JsonNode> into)
    {
        into.Add(node);
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value).ToList(),
            JsonArray array => array.ToList(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null) Collect(child, into);
        }
    }

    private static void Remove(JsonNode node)
    {
        if (node.Parent is JsonObject obj) obj.Remove(node.GetPropertyName());
        else if (node.Parent is JsonArray array) array.RemoveAt(node.GetElementIndex());
    }

    private static void Replace(JsonNode node, JsonNode? value)
    {
        if (node.Parent is JsonObject obj) obj[node.GetPropertyName()] = value;
        else if (node.Parent is JsonArray array) array[node.GetElementIndex()] = value;
    }

    private JsonNode? Value(Random random, int depth) => random.Next(depth > 2 ? 14 : 18) switch
    {
        0 => null,
        1 => JsonValue.Create(true),
        2 => JsonValue.Create(false),
        3 => JsonValue.Create(0),
        4 => JsonValue.Create(-1),
        5 => JsonValue.Create(1.5),
        6 => JsonValue.Create(1e308),
        7 => JsonNode.Parse("123456789012345678901234567890"),
        8 => JsonValue.Create(""),
        9 => JsonValue.Create("x"),
        10 => JsonValue.Create("\u0000\ud83d\ude00\"\\</script>"),
        11 => JsonValue.Create(new string('a', random.Next(1, 5000))),
        12 => JsonValue.Create(long.MaxValue),
        13 => JsonValue.Create(int.MinValue),
        14 => new JsonObject(),
        15 => new JsonArray(),
        16 => new JsonObject { [names[random.Next(names.Count)]] = Value(random, depth + 1), [names[random.Next(names.Count)] + "_"] = Value(random, depth + 1) },
        _ => Nested(random.Next(2, 70)),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 1; i < depth; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["content"] = node };
        return node;
    }
}
