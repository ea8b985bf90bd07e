using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Contracts.Snapshot;
using Gateway.Contracts.ContentGuard;

namespace Gateway.Contracts.Tests.ContentGuard;

/// <summary>
/// Generated bodies (seeded, so a failure repeats): nested objects and arrays whose strings mix
/// words, non-ASCII text, quotes, backslashes, control characters and planted card numbers, IBANs,
/// credentials and pattern matches, written with and without escaping. For every one: nothing
/// planted survives redaction, the redacted body is valid JSON of the same shape, the only change is
/// in the strings, and a second scan finds nothing.
/// </summary>
public sealed class ContentGuardFuzzTests
{
    private static readonly CompiledGuard Guard = CompiledGuard.Of(new ContentGuardSpec(GuardAction.Redact,
        [ContentDetector.PaymentCard, ContentDetector.Iban, ContentDetector.Credential]) { Patterns = ["CUST-[0-9]{6}"] })!;

    private static readonly string[] Cards = ["4111111111111111", "4111 1111 1111 1111", "5555-5555-5555-4444", "378282246310005", "3782 822463 10005", "6011111111111117", "2223003122003222"];
    private static readonly string[] Ibans = ["DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300", "fr1420041010050500013m02606"];
    private static readonly string[] Credentials = ["sk-proj-Abcdefghijklmnopqrstuvwx0123", "AKIAIOSFODNN7EXAMPLE", "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg+/=\n-----END PRIVATE KEY-----"];
    private static readonly string[] Patterns = ["CUST-123456", "CUST-000042"];
    private static readonly string[] Separators = [" ", ", ", ": ", "\n", " (", ") ", "; ", " - ", "\t", "\"", "/"];
    private static readonly string[] Words = ["the", "risk", "report", "Grüße", "日本語", "🙂", "a\"quote", "back\\slash", "tab\there", "line\nbreak", "nul\u0001", "42", "2026-11-28", "+44 20 7946 0958", "order 1234567812345670"];

    [Fact]
    public void NothingPlanted_SurvivesRedaction_AndTheBodyKeepsItsShape()
    {
        var random = new Random(20261128);
        for (var i = 0; i < 1500; i++)
        {
            var planted = new List<string>();
            var document = new JsonObject { ["model"] = "m", ["messages"] = Node(random, planted, depth: 0) };
            var body = Write(document, escapeAll: random.Next(2) == 0);

            var scanned = ContentScanner.Scan(body, Guard, redact: false);
            var redacted = ContentScanner.Scan(body, Guard, redact: true);
            if (planted.Count == 0)
            {
                Assert.Null(scanned);
                continue;
            }
            Assert.NotNull(scanned);
            Assert.Equal(scanned.Counts, redacted!.Counts);

            var after = JsonNode.Parse(redacted.Redacted!)!;
            AssertSameShape(JsonNode.Parse(body)!, after);
            var text = string.Join("\u0000", Strings(after));
            foreach (var secret in planted) Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.Null(ContentScanner.Scan(redacted.Redacted!, Guard, redact: false));
        }
    }

    private static JsonNode Node(Random random, List<string> planted, int depth)
    {
        if (depth < 3 && random.Next(3) == 0)
        {
            var array = new JsonArray();
            for (var i = random.Next(4); i >= 0; i--) array.Add(Node(random, planted, depth + 1));
            return array;
        }
        if (depth < 3 && random.Next(3) == 0)
        {
            var obj = new JsonObject();
            for (var i = random.Next(4); i >= 0; i--) obj[$"k{i}_{random.Next(100)}"] = Node(random, planted, depth + 1);
            return obj;
        }
        return random.Next(6) switch
        {
            0 => JsonValue.Create(random.Next()),
            1 => JsonValue.Create(random.Next(2) == 0),
            _ => JsonValue.Create(Text(random, planted)),
        };
    }

    private static string Text(Random random, List<string> planted)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            if (text.Length > 0) text.Append(Separators[random.Next(Separators.Length)]);
            var secret = random.Next(12) switch
            {
                0 => Cards[random.Next(Cards.Length)],
                1 => Ibans[random.Next(Ibans.Length)],
                2 => Credentials[random.Next(Credentials.Length)],
                3 => Patterns[random.Next(Patterns.Length)],
                _ => null,
            };
            if (secret is null)
            {
                text.Append(Words[random.Next(Words.Length)]);
                continue;
            }
            planted.Add(secret);
            text.Append(secret);
        }
        return text.ToString();
    }

    private static byte[] Write(JsonNode node, bool escapeAll)
    {
        var options = new JsonWriterOptions { Encoder = escapeAll ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, options)) node.WriteTo(writer);
        return stream.ToArray();
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };

    private static void AssertSameShape(JsonNode? before, JsonNode? after)
    {
        switch (before)
        {
            case JsonObject o:
                var other = Assert.IsType<JsonObject>(after);
                Assert.Equal(o.Select(p => p.Key), other.Select(p => p.Key));
                foreach (var (key, value) in o) AssertSameShape(value, other[key]);
                break;
            case JsonArray a:
                var list = Assert.IsType<JsonArray>(after);
                Assert.Equal(a.Count, list.Count);
                for (var i = 0; i < a.Count; i++) AssertSameShape(a[i], list[i]);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                Assert.Equal(JsonValueKind.String, after!.GetValueKind());
                break;
            default:
                Assert.True(JsonNode.DeepEquals(before, after), $"{before?.ToJsonString()} became {after?.ToJsonString()}");
                break;
        }
    }
}
