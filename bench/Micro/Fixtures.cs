using System.Text;
using Gateway.Contracts.Keys;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Pipeline;
using Gateway.Proxy.Policies.Routing;
using Gateway.Proxy.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Bench.Micro;

/// <summary>The inputs of the micro-benchmarks: arm C's snapshot, the F1 body, MockLlm-shaped SSE.</summary>
internal static class Fixtures
{
    public static (CompiledSnapshot Snapshot, string Key) Snapshot()
    {
        var (spec, key) = BenchSnapshot.Create("http://127.0.0.1:9", extraKeys: 10_000);
        var compiler = new SnapshotCompiler(
            new CredentialResolver(NullLogger<CredentialResolver>.Instance),
            new DeploymentHealthRegistry(Options.Create(new ProxyOptions()), TimeProvider.System));
        return (compiler.Compile(spec, "bench"), key);
    }

    public static string KeyIdOf(string key) => ApiKeyFormat.TryGetKeyId(key, out var id) ? id.ToString() : throw new ArgumentException("malformed key", nameof(key));

    /// <summary>bench/bodies/chat-1k.json (embedded), the body of F1 and F2.</summary>
    public static byte[] ChatBody()
    {
        using var stream = typeof(Fixtures).Assembly.GetManifestResourceStream("chat-1k.json") ?? throw new InvalidOperationException("chat-1k.json is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>A request as it leaves model resolution: key, body, model, version and subscription set.</summary>
    public static GatewayRequest ResolvedRequest(CompiledSnapshot snapshot, CompiledKey key, byte[] body, in RequestBodyInfo info, string requestId)
    {
        var request = new GatewayRequest(requestId, 0, DateTimeOffset.UtcNow)
        {
            Route = new GatewayRoute(GatewayOperation.ChatCompletions, ClientFormat.OpenAI, "POST"),
            Snapshot = snapshot,
            Key = key,
            RequestedModel = "gpt-4o",
        };
        request.SetBody(body, info);
        var model = snapshot.Models["gpt-4o"];
        request.Model = model;
        request.Version = model.Default;
        request.Subscription = key.TryGetSubscription(model, out var subscription) ? subscription : throw new InvalidOperationException("the bench key must be subscribed to gpt-4o");
        return request;
    }

    private const string ChunkHead = """{"id":"chatcmpl-01a216a395b07494bd9ce9b468b4c8d7","object":"chat.completion.chunk","created":1795676149,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_mockllm","choices":""";

    /// <summary>OpenAI's usage-only chunk (the one the proxy injects with include_usage and strips).</summary>
    public static byte[] UsageChunk() => Encoding.UTF8.GetBytes(UsageChunkJson());

    private static string UsageChunkJson() =>
        ChunkHead + """[],"usage":{"prompt_tokens":24,"completion_tokens":128,"total_tokens":152,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""";

    /// <summary>A chat stream as MockLlm writes it: role chunk, content chunks of two tokens, finish chunk, usage chunk, [DONE].</summary>
    public static byte[] SseStream(int contentChunks)
    {
        var sb = new StringBuilder();
        sb.Append("data: ").Append(ChunkHead).Append("""[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""").Append("\n\n");
        for (var i = 0; i < contentChunks; i++)
            sb.Append("data: ").Append(ChunkHead).Append("""[{"index":0,"delta":{"content":" liquidity buffer"},"logprobs":null,"finish_reason":null}]}""").Append("\n\n");
        sb.Append("data: ").Append(ChunkHead).Append("""[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""").Append("\n\n");
        sb.Append("data: ").Append(UsageChunkJson()).Append("\n\n");
        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
